import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { streamsPerKey } from "../../../src/app/http/changes-api.js"
import { TestServiceLive } from "../../support/app.js"
import { openStream } from "../../support/change-stream.js"
import { samples } from "../../support/samples.js"
import { issueKey, request } from "../../support/service.js"

describe("change streams held open by one key", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped(
      "are at most streamsPerKey: one more is a 429, another key is not held back, a closed one frees its place",
      () =>
        Effect.gen(function*() {
          const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}`
          const greedy = yield* issueKey("app", [restaurantId])
          const other = yield* issueKey("app", [restaurantId])
          const streams = yield* Effect.forEach(
            Array.from({ length: streamsPerKey }),
            () => openStream(greedy.key, restaurantId),
            { concurrency: 4 }
          )
          const path = `/api/changes/stream?restaurantId=${restaurantId}`
          const refused = yield* request("GET", path, undefined, { key: greedy.key })
          assert.strictEqual(refused.status, 429, refused.text)
          assert.deepStrictEqual(refused.body, {
            _tag: "TooManyRequests",
            message: `this key already holds ${streamsPerKey} change streams open: close one, or read by page`
          })
          // The page stays open to that key, and the other key streams.
          assert.strictEqual(
            (yield* request("GET", `/api/changes?restaurantId=${restaurantId}`, undefined, { key: greedy.key })).status,
            200
          )
          const watching = yield* openStream(other.key, restaurantId)

          // Every open stream still delivers.
          const created = yield* request("POST", "/api/reservations", {
            ...samples.reservation(restaurantId),
            notes: "seen by all"
          })
          assert.strictEqual(created.status, 201)
          for (const stream of [...streams, watching]) {
            yield* stream.readUntil((text) => text.includes("seen by all"), 5_000)
          }

          // A client that goes away gives its place back.
          yield* streams[0]!.close
          // The server hears of it when the connection closes: a moment after the client's abort.
          const reopened = yield* openStream(greedy.key, restaurantId).pipe(
            Effect.catchAllDefect(Effect.fail),
            Effect.retry({ times: 20, schedule: Schedule.spaced("100 millis") })
          )
          yield* reopened.readUntil((text) => text.includes("retry: 1000"), 5_000)
          const full = yield* request("GET", path, undefined, { key: greedy.key })
          assert.strictEqual(full.status, 429, "the place was taken again")
        }),
      30_000
    )
  })
})
