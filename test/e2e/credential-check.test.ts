import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { type Body, uberWorld } from "../support/marketplace-world.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

const check = (id: unknown) =>
  Effect.map(request("POST", `/api/platform-configs/${id}/check`), (r) => ({ status: r.status, body: r.body as Body }))

const probe = (result: Body, name: string) => (result.probes as Array<Body>).find((p) => p.name === name)

// Issue 20, item 8: credentials used to be stored without ever being tried (`authenticate()` had
// no caller). A check authenticates against the platform (here its simulator) and says what works;
// saving a config runs it and reports it, without refusing the save.
describe("platform config credential check", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("Uber Eats: good credentials authenticate and read the store; a wrong secret is reported on save and by the check, and fixing it is seen", () =>
      Effect.gen(function*() {
        const w = yield* uberWorld()
        const good = yield* check(w.config.id)
        assert.strictEqual(good.status, 200, JSON.stringify(good.body))
        assert.strictEqual(good.body.platform, "ubereats")
        assert.strictEqual(good.body.authenticated, true)
        assert.deepStrictEqual(probe(good.body, "store"), { name: "store", ok: true })
        assert.deepStrictEqual(
          (w.config.credentialCheck as Body | undefined)?.authenticated,
          true,
          "the save ran the check"
        )

        const credentials = {
          clientId: w.sim.clientId,
          clientSecret: "not-the-secret",
          storeId: w.storeId,
          baseUrl: w.sim.url,
          tokenUrl: w.sim.tokenUrl
        }
        const saved = yield* request("PATCH", `/api/platform-configs/${w.config.id}`, { credentials })
        assert.strictEqual(saved.status, 200, "a failing check does not refuse the save")
        const savedCheck = (saved.body as Body).credentialCheck as Body
        assert.strictEqual(savedCheck.authenticated, false)
        assert.strictEqual(probe(savedCheck, "authenticate")?.ok, false)
        assert.notInclude(JSON.stringify(saved.body), "not-the-secret", "no credential is echoed")
        const bad = yield* check(w.config.id)
        assert.strictEqual(bad.body.authenticated, false)

        // Right secret, wrong store: Uber's authentication reads the store, and says it is unknown.
        yield* request("PATCH", `/api/platform-configs/${w.config.id}`, {
          credentials: {
            ...credentials,
            clientSecret: w.sim.clientSecret,
            storeId: "00000000-0000-4000-8000-00000000beef"
          }
        })
        const wrongStore = yield* check(w.config.id)
        assert.strictEqual(wrongStore.body.authenticated, false)
        assert.match(String(probe(wrongStore.body, "authenticate")?.message), /404/)
        yield* request("PATCH", `/api/platform-configs/${w.config.id}`, {
          credentials: { ...credentials, clientSecret: w.sim.clientSecret }
        })
        assert.strictEqual((yield* check(w.config.id)).body.authenticated, true, "fixed credentials are seen at once")
      }))

    it.scoped("Zenchef: the key and restaurant are tried, then the availability and floor plan reads; a revoked key is reported", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        const good = yield* check(w.config.id)
        assert.strictEqual(good.body.authenticated, true, JSON.stringify(good.body))
        assert.strictEqual(probe(good.body, "availability")?.ok, true)
        assert.strictEqual(probe(good.body, "floorPlan")?.ok, true)
        const saved = yield* request("PATCH", `/api/platform-configs/${w.config.id}`, {
          credentials: {
            apiKey: "key-revoked",
            restaurantUid: w.restaurantUid,
            timezone: "Europe/Paris",
            baseUrl: w.sim.url
          }
        })
        assert.strictEqual(saved.status, 200)
        assert.strictEqual(((saved.body as Body).credentialCheck as Body).authenticated, false)
        assert.strictEqual((yield* check("00000000-0000-4000-8000-000000000000")).status, 404)
      }))
  })
})
