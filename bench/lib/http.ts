import * as http from "node:http"

/**
 * The API key the bench's calls carry (issue 17): the admin key it starts the service with, unless
 * a call gives its own. Webhook deliveries never carry one.
 */
let defaultKey: string | undefined
export const useApiKey = (key: string) => {
  defaultKey = key
}

/**
 * Kept-alive connections for every call of the bench. node:http rather than `fetch`: the bench
 * shares the machine's cores with the service it measures, and `fetch` spends several times the
 * CPU per call (web streams, its own header and body machinery).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

/** One JSON call; anything but 2xx is an error, since the bench's own set-up must not fail quietly. */
export const callJson = <A = unknown>(
  method: string,
  url: string,
  body?: unknown,
  key: string | undefined = defaultKey
): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const request = http.request(url, {
      method,
      agent,
      headers: {
        ...(payload === undefined ?
          {} :
          { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` })
      }
    }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("error", reject)
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8")
        const status = response.statusCode ?? 0
        if (status < 200 || status > 299) {
          reject(new Error(`${method} ${url}: ${status} ${text.slice(0, 500)}`))
          return
        }
        try {
          resolve((text === "" ? undefined : JSON.parse(text)) as A)
        } catch (error) {
          reject(error)
        }
      })
    })
    request.on("error", reject)
    request.end(payload)
  })

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
