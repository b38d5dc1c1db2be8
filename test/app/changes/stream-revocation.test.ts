import { assert, describe, layer } from "@effect/vitest"
import { Duration, Effect } from "effect"
import { streamRecheck } from "../../../src/app/http/handlers/changes.js"
import { TestServiceLive } from "../../support/app.js"
import { openStream } from "../../support/change-stream.js"
import { samples } from "../../support/samples.js"
import { issueKey, request } from "../../support/service.js"

const createReservation = (restaurantId: string, notes: string) =>
  Effect.map(
    request("POST", "/api/reservations", { ...samples.reservation(restaurantId), notes }),
    (created) => assert.strictEqual(created.status, 201)
  )

describe("the change stream of a key revoked while it streams", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("ends with an unauthorized event; a kept key's stream goes on", () =>
      Effect.gen(function*() {
        const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}`
        const revoked = yield* issueKey("app", [restaurantId])
        const kept = yield* issueKey("app", [restaurantId])
        const doomed = yield* openStream(revoked.key, restaurantId)
        const lasting = yield* openStream(kept.key, restaurantId)
        yield* createReservation(restaurantId, "before the revocation")
        for (const stream of [doomed, lasting]) {
          yield* stream.readUntil((text) => text.includes("before the revocation"), 5_000)
        }
        assert.strictEqual((yield* request("POST", `/api/admin/api-keys/${revoked.id}/revoke`)).status, 200)
        const end = yield* doomed.readUntil(() => false, 8_000)
        assert.isTrue(end.ended, "the stream ended")
        assert.isTrue(
          end.text.trimEnd().endsWith(
            "event: unauthorized\ndata: {\"message\":\"this key no longer opens the stream: it ends here\"}"
          ),
          end.text.slice(-200)
        )
        // The kept key's stream outlives rechecks (two more here), and still delivers.
        yield* Effect.sleep(Duration.sum(Duration.times(streamRecheck, 2), "500 millis"))
        yield* createReservation(restaurantId, "after the revocation")
        const goingOn = yield* lasting.readUntil((text) => text.includes("after the revocation"), 5_000)
        assert.isFalse(goingOn.ended)
        assert.notInclude(goingOn.text, "event: unauthorized")
        // Reconnecting with the revoked key is refused.
        const again = yield* request("GET", `/api/changes/stream?restaurantId=${restaurantId}`, undefined, {
          key: revoked.key
        })
        assert.strictEqual(again.status, 401)
      }), 30_000)
  })
})
