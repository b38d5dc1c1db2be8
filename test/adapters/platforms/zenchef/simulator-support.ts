import { Chunk, Data, Duration, Effect, Ref, Schedule } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export class FetchFailed extends Data.TaggedError("FetchFailed")<{ readonly message: string }> {}

export interface CallResult {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: unknown
}

/** One real HTTP call with fetch; a dropped socket surfaces as FetchFailed. */
export const call = (
  base: string,
  method: string,
  path: string,
  options: { readonly apiKey?: string | null; readonly body?: unknown } = {}
): Effect.Effect<CallResult, FetchFailed> =>
  Effect.tryPromise({
    try: async () => {
      const headers: Record<string, string> = { "content-type": "application/json" }
      if (options.apiKey !== null && options.apiKey !== undefined) headers["ApiKey"] = options.apiKey
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
      })
      const text = await response.text()
      return {
        status: response.status,
        headers: response.headers,
        text,
        body: text === "" ? undefined : (JSON.parse(text) as unknown)
      }
    },
    catch: (cause) => new FetchFailed({ message: cause instanceof Error ? cause.message : String(cause) })
  })

/** The fields of a JSON object answer, for assertions. */
export const fields = (result: CallResult): Record<string, unknown> =>
  typeof result.body === "object" && result.body !== null && !Array.isArray(result.body)
    ? (result.body as Record<string, unknown>)
    : {}

export const items = (result: CallResult): ReadonlyArray<Record<string, unknown>> =>
  Array.isArray(result.body) ? (result.body as ReadonlyArray<Record<string, unknown>>) : []

export interface ReceivedWebhook {
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

/**
 * A webhook receiver on loopback: records every request and answers `statuses` in turn
 * (then 200 for ever), so tests can make deliveries fail.
 */
export const webhookReceiver = (statuses: ReadonlyArray<number> = []) =>
  Effect.gen(function*() {
    const received = yield* Ref.make(Chunk.empty<ReceivedWebhook>())
    const answers = [...statuses]
    const server = yield* Effect.acquireRelease(
      Effect.async<http.Server>((resume) => {
        const created = http.createServer((req, res) => {
          const chunks: Array<Buffer> = []
          req.on("data", (chunk: Buffer) => chunks.push(chunk))
          req.on("end", () => {
            const entry = { url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }
            Effect.runSync(Ref.update(received, Chunk.append(entry)))
            res.writeHead(answers.shift() ?? 200).end()
          })
        })
        created.listen(0, "127.0.0.1", () => resume(Effect.succeed(created)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
          server.closeAllConnections()
        })
    )
    const port = (server.address() as AddressInfo).port
    return {
      url: `http://127.0.0.1:${port}/hooks/zenchef`,
      received: Effect.map(Ref.get(received), Chunk.toReadonlyArray),
      /** Polls until `count` requests arrived (at most ~2 s). */
      awaitCount: (count: number) =>
        Ref.get(received).pipe(
          Effect.filterOrFail(
            (all) => Chunk.size(all) >= count,
            () => new FetchFailed({ message: `fewer than ${count} webhooks` })
          ),
          Effect.retry(Schedule.spaced(Duration.millis(10)).pipe(Schedule.upTo(Duration.seconds(2)))),
          Effect.map(Chunk.toReadonlyArray)
        )
    }
  })

export const envelopeOf = (webhook: ReceivedWebhook) =>
  JSON.parse(webhook.body) as {
    event: string
    eventId: string
    occurredAt: string
    restaurantUid: string
    settings: unknown
    booking: Record<string, unknown>
  }

export const RESTAURANT = "a1b2c3d4"
export const OTHER_RESTAURANT = "0badcafe"
export const KEY = "key-a1"
export const OTHER_KEY = "key-other"

export const newBooking = (overrides: Record<string, unknown> = {}) => ({
  bookingDateTime: "2030-06-07T19:30:00",
  bookingDuration: null,
  numberOfPeople: 4,
  culture: "en",
  company: false,
  firstName: "Ana",
  lastName: "Ruiz",
  email: "ana@example.com",
  comments: "nut allergy",
  ...overrides
})
