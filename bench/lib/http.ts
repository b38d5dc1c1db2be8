/**
 * The API key the bench's calls carry (issue 17): the admin key it starts the service with, unless
 * a call gives its own. Webhook deliveries never carry one.
 */
let defaultKey: string | undefined
export const useApiKey = (key: string) => {
  defaultKey = key
}

/** One JSON call; anything but 2xx is an error, since the bench's own set-up must not fail quietly. */
export const callJson = async <A = unknown>(
  method: string,
  url: string,
  body?: unknown,
  key: string | undefined = defaultKey
): Promise<A> => {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 500)}`)
  return (text === "" ? undefined : JSON.parse(text)) as A
}

/** Runs `task` over `items` with at most `concurrency` in flight, in order of start. */
export const forEachConcurrent = async <T>(
  items: ReadonlyArray<T>,
  concurrency: number,
  task: (item: T, index: number) => Promise<void>
) => {
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      await task(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane))
}
