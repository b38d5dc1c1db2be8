/** JSON or a JSON-based type (`application/problem+json`), with or without parameters. */
export const isJson = (contentType: string) => /^application\/([\w.+-]+\+)?json\s*(;|$)/.test(contentType)
