import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Stream } from "effect"
import { Changes, type FollowEvent } from "../../services/changes.js"
import { SyncApi } from "../api.js"

const encoder = new TextEncoder()

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

export const ChangesLive = HttpApiBuilder.group(SyncApi, "changes", (handlers) =>
  Effect.gen(function*() {
    const changes = yield* Changes
    return handlers
      .handle("page", ({ urlParams }) => changes.page(urlParams))
      .handle("stream", ({ headers, urlParams }) =>
        // Last-Event-ID (a browser's EventSource sends it on reconnecting) wins over `after`.
        Effect.map(changes.follow({ ...urlParams, after: headers["last-event-id"] ?? urlParams.after }), (events) =>
          HttpServerResponse.stream(
            // The retry hint first: a dropped client comes back within a second.
            Stream.concat(Stream.make("retry: 1000\n\n"), Stream.map(events, sse)).pipe(
              Stream.map((text) => encoder.encode(text))
            ),
            {
              contentType: "text/event-stream",
              headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
            }
          )))
      .handle("deliveries", ({ urlParams }) =>
        Effect.zipWith(
          changes.deliveries(urlParams.status, urlParams.limit),
          changes.counts,
          (items, counts) => ({ items, counts })
        ))
      .handle("replay", ({ path }) =>
        changes.replay(path.sequence))
  }))
