import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { type Body, list, uberWorld } from "../support/marketplace-world.js"
import { request } from "../support/service.js"

// Uber's store.deprovisioned: the merchant took this integration's access away. Nothing will sync
// with the store; the config says so where operators look (its last error, on /ops).
describe("a store's access revoked on Uber Eats", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("is the config's last error and a failed line until access is granted again", () =>
      Effect.gen(function*() {
        const uber = yield* uberWorld()
        const settle = Effect.zipRight(uber.sim.webhooks.awaitIdle, drainAll)
        const config = Effect.map(request("GET", `/api/platform-configs/${uber.config.id}`), (r) => r.body as Body)
        const revoked =
          "ubereats revoked this integration's access to the store: orders, menu and store status do not sync until it is granted again"

        yield* uber.sim.setStoreAccess(uber.storeId, false)
        yield* settle
        assert.strictEqual((yield* config).lastError, revoked)
        const [line] = yield* list(`/api/sync/logs?restaurantId=${uber.restaurantId}&direction=inbound`)
        assert.deepInclude(line, { action: "status_change", status: "failed", errorMessage: revoked })

        yield* uber.sim.setStoreAccess(uber.storeId, true)
        yield* settle
        const granted = yield* config
        assert.strictEqual(granted.lastError, null)
        assert.isNotNull(granted.lastSyncAt)
        const [again] = yield* list(`/api/sync/logs?restaurantId=${uber.restaurantId}&direction=inbound`)
        assert.deepInclude(again, { action: "status_change", status: "success", errorMessage: null })
      }))

    it.scoped("a store status notification is logged as read from Uber when asked, nothing written", () =>
      Effect.gen(function*() {
        const uber = yield* uberWorld()
        const paused = yield* request("PUT", `/api/platform-configs/${uber.config.id}/store-status`, {
          status: "paused"
        })
        assert.strictEqual(paused.status, 200, paused.text)
        yield* uber.sim.webhooks.awaitIdle
        yield* drainAll
        const [line] = yield* list(`/api/sync/logs?restaurantId=${uber.restaurantId}&direction=inbound`)
        assert.deepInclude(line, {
          action: "status_change",
          status: "skipped",
          errorMessage:
            "store status is read from the platform when asked (GET /api/platform-configs/{id}/store-status)"
        })
      }))
  })
})
