/**
 * Issue 17, acceptance: no secret in any answer. Every answer that `request` (service.ts) receives
 * is kept, and checked against the secrets sent so far in this test file: the bearer keys, and the
 * values of request fields named like a secret (webhookSecret, credentials' apiKey, clientSecret,
 * password, token, the sign-in's key). An answer holding one fails the call that got it, in any
 * test of the suite. Values shorter than 8 characters are not tracked: they would match by chance.
 */

const secretField = /(secret|password|passphrase|token|apikey|api_key|privatekey|^key)$/i
const minimumLength = 8

/** Secret value -> where it was sent (a field path), reported instead of the value itself. */
const sent = new Map<string, string>()
const answers: Array<{ readonly call: string; readonly text: string }> = []
const violations: Array<string> = []

/** A secret the test sends by other means (a raw body, a header): tracked from now on. */
export const rememberSecret = (value: string, where = "a secret") => {
  if (value.length >= minimumLength) sent.set(value, where)
}

/** Hostile bodies nest 10,000 deep; no real secret sits that far down. */
const maxDepth = 32

const collect = (value: unknown, path: string, into: Map<string, string>, depth = 0) => {
  if (depth > maxDepth) return
  if (Array.isArray(value)) value.forEach((item, i) => collect(item, `${path}[${i}]`, into, depth + 1))
  else if (typeof value === "object" && value !== null) {
    for (const [name, inner] of Object.entries(value)) {
      const at = path === "" ? name : `${path}.${name}`
      if (typeof inner === "string" && secretField.test(name) && inner.length >= minimumLength) into.set(inner, at)
      else collect(inner, at, into, depth + 1)
    }
  }
}

/** The secrets a request carries: its bearer key and its secret-named JSON fields. */
export const secretsOfRequest = (authorization: string | undefined, body: unknown) => {
  const found = new Map<string, string>()
  const bearer = /^bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]
  if (bearer !== undefined && bearer.length >= minimumLength) found.set(bearer, "the Authorization key")
  collect(body, "", found)
  return found
}

/**
 * The answers that may show a secret of their own request once, by design: a new API key, a new
 * webhook secret (issue 18). Secrets sent earlier are still checked in them.
 */
const showsOnce = (method: string, path: string, status: number) =>
  status < 300 && method === "POST" &&
  (/^\/api\/admin\/api-keys\/?$/.test(path) || /^\/api\/platform-configs\/[^/]+\/webhook-secret$/.test(path))

/**
 * Records an answer; the description of the secret it holds, if any (never the secret itself).
 * The request's own secrets are checked as well: a validation error must not echo them.
 */
export const recordAnswer = (
  call: { readonly method: string; readonly path: string; readonly status: number },
  own: ReadonlyMap<string, string>,
  text: string
): string | undefined => {
  const path = call.path.split("?", 1)[0] ?? ""
  answers.push({ call: `${call.method} ${path} ${call.status}`, text })
  const echoed = [...sent].find(([secret]) => text.includes(secret)) ??
    (showsOnce(call.method, path, call.status) ? undefined : [...own].find(([secret]) => text.includes(secret)))
  for (const [secret, where] of own) sent.set(secret, where)
  if (echoed === undefined) return undefined
  const violation = `the answer to ${call.method} ${path} (${call.status}) holds ${echoed[1]}`
  violations.push(violation)
  return violation
}

/** Every answer received in this test file so far. */
export const answersSeen = (): ReadonlyArray<{ readonly call: string; readonly text: string }> => answers

/** The answers found holding a secret, described. */
export const secretsEchoed = (): ReadonlyArray<string> => violations
