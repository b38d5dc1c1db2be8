import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Duration, Effect, Exit, Schedule, Stream } from "effect"
import { CurrentCaller } from "../../caller.js"
import { TooManyRequests } from "../../errors.js"
import { Changes, type FollowEvent } from "../../services/changes.js"
import { SyncApi } from "../api.js"
import { streamsPerKey } from "../changes-api.js"
import { authenticateRequest, Gate } from "../middleware/authentication.js"

const encoder = new TextEncoder()

/**
 * How often an open stream asks again whether its key (or session) still opens it. A key's copy
 * lives 2 s on each instance (`keyCacheTtl`): a revoked key's streams end within about 4 s.
 */
export const streamRecheck = Duration.seconds(2)

/** Open streams per key. */
const makeOpenStreams = (limit: number) => {
  const open = new Map<string, number>()
  return {
    take: (keyId: string): boolean => {
      const held = open.get(keyId) ?? 0
      if (held >= limit) return false
      open.set(keyId, held + 1)
      return true
    },
    give: (keyId: string) => {
      const left = (open.get(keyId) ?? 1) - 1
      if (left <= 0) open.delete(keyId)
      else open.set(keyId, left)
    }
  }
}

/** One Server-Sent Event: the entry's cursor is its id, so a reconnecting client resumes after it. */
const sse = (event: FollowEvent) => {
  switch (event._tag) {
    case "Entry":
      return `id: ${event.entry.cursor}\nevent: change\ndata: ${JSON.stringify(event.entry)}\n\n`
    case "KeepAlive":
      return ": keep-alive\n\n"
    case "Resume":
      return `id: ${event.cursor}\nevent: resume\ndata: ${JSON.stringify({ cursor: event.cursor })}\n\n`
  }
}

/** The last event of a stream whose key was revoked (or session ended): a reconnection gets the 401. */
const refusedEvent = `event: unauthorized\ndata: ${
  JSON.stringify({ message: "this key no longer opens the stream: it ends here" })
}\n\n`

export const ChangesLive = HttpApiBuilder.group(SyncApi, "changes", (handlers) =>
  Effect.gen(function*() {
    const changes = yield* Changes
    const gate = yield* Gate
    const openStreams = makeOpenStreams(streamsPerKey)
    // Issue 17: a stream outlives the check made when it opened; it is checked again while it
    // runs, so a revoked key stops receiving restaurants' data. Only a refusal ends it: a check
    // that fails for another reason (the database out of reach) leaves it open.
    const refused = authenticateRequest(gate, "app").pipe(
      Effect.exit,
      Effect.repeat({
        schedule: Schedule.spaced(streamRecheck),
        until: (checked) => Exit.isFailure(checked) && checked.cause._tag === "Fail"
      }),
      Effect.delay(streamRecheck)
    )
    return handlers
      .handle("page", ({ urlParams }) => changes.page(urlParams))
      .handle("stream", ({ headers, urlParams }) =>
        // Last-Event-ID (a browser's EventSource sends it on reconnecting) wins over `after`.
        Effect.gen(function*() {
          const events = yield* changes.follow({ ...urlParams, after: headers["last-event-id"] ?? urlParams.after })
          const request = yield* HttpServerRequest.HttpServerRequest
          const caller = yield* CurrentCaller
          if (!openStreams.take(caller.keyId)) {
            return yield* new TooManyRequests({
              message: `this key already holds ${streamsPerKey} change streams open: close one, or read by page`
            })
          }
          // The response's close comes once, however the stream ends: the server ending it, the
          // client leaving, even before its first byte when the stream never ran.
          const giveBack = () => openStreams.give(caller.keyId)
          const response = NodeHttpServerRequest.toServerResponse(request)
          if (response.closed) giveBack()
          else response.once("close", giveBack)
          const ended = Stream.fromEffect(
            Effect.as(Effect.provideService(refused, HttpServerRequest.HttpServerRequest, request), refusedEvent)
          )
          return HttpServerResponse.stream(
            // The retry hint first: a dropped client comes back within a second.
            Stream.concat(Stream.make("retry: 1000\n\n"), Stream.map(events, sse)).pipe(
              Stream.merge(ended, { haltStrategy: "either" }),
              Stream.map((text) => encoder.encode(text))
            ),
            {
              contentType: "text/event-stream",
              headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
            }
          )
        }))
      .handle("deliveries", ({ urlParams }) =>
        Effect.zipWith(
          changes.deliveries(urlParams.status, urlParams.limit),
          changes.counts,
          (items, counts) => ({ items, counts })
        ))
      .handle("replay", ({ path }) => changes.replay(path.sequence))
  }))
