import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Logger, Redacted } from "effect"
import { CredentialCipher } from "../../src/ports/credential-cipher.js"
import { TestServiceLive } from "../support/app.js"
import { request } from "../support/service.js"

const API_KEY = "sk-live-SECRET-api-key-4242"
const WEBHOOK_SECRET = "whsec_U0VDUkVULXdlYmhvb2stc2VjcmV0LTQyNDI="

// Every log line the service writes during these tests, to look for secrets in.
const lines: Array<string> = []
const CaptureLogs = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ annotations, cause, message }) =>
    lines.push(JSON.stringify({ message, cause: String(cause), annotations: [...annotations] }))
  )
)

const config = (restaurantId: string, extra: Record<string, unknown> = {}) => ({
  restaurantId,
  platform: "zenchef",
  credentials: { apiKey: API_KEY, restaurantUid: restaurantId.slice(-8), timezone: "Europe/Paris" },
  webhookSecret: WEBHOOK_SECRET,
  masterFor: ["reservation"],
  ...extra
})

const hex8 = () => crypto.randomUUID().replaceAll("-", "").slice(0, 8)

describe("platform configs: credentials write-only and encrypted at rest (R-3.1)", () => {
  layer(TestServiceLive.pipe(Layer.provide(CaptureLogs)), { excludeTestServices: true })((it) => {
    it.effect("create, read and list never return a credential; the stored column is AES-GCM ciphertext", () =>
      Effect.gen(function*() {
        const restaurantId = `resto-${hex8()}`
        const created = yield* request("POST", "/api/platform-configs", config(restaurantId))
        assert.strictEqual(created.status, 201, created.text)
        const body = created.body as Record<string, unknown>
        assert.strictEqual(body.externalRestaurantId, restaurantId.slice(-8))
        assert.strictEqual(body.hasWebhookSecret, true)
        assert.notProperty(body, "credentials")
        const texts = [
          created.text,
          (yield* request("GET", `/api/platform-configs/${body.id}`)).text,
          (yield* request("GET", `/api/platform-configs?restaurantId=${restaurantId}`)).text
        ]
        for (const text of texts) {
          assert.notInclude(text, API_KEY)
          assert.notInclude(text, WEBHOOK_SECRET)
        }
        const sql = yield* SqlClient.SqlClient
        const [row] = yield* sql<
          { credentials: string; webhookSecret: string }
        >`SELECT credentials, webhook_secret FROM sync_platform_configs WHERE id = ${String(body.id)}`
        assert.match(row!.credentials, /^v2\./)
        assert.notInclude(row!.credentials, API_KEY)
        assert.notInclude(row!.webhookSecret, WEBHOOK_SECRET)
        const cipher = yield* CredentialCipher
        const decrypted = JSON.parse(
          Redacted.value(yield* cipher.decrypt(row!.credentials, { row: String(body.id), column: "credentials" }))
        ) as Record<string, unknown>
        assert.strictEqual(decrypted.apiKey, API_KEY, "the ciphertext holds the credentials")
      }))

    it.effect("invalid credentials are a 400 naming the field, without echoing any value", () =>
      Effect.gen(function*() {
        const restaurantId = `resto-${hex8()}`
        const response = yield* request(
          "POST",
          "/api/platform-configs",
          config(restaurantId, { credentials: { apiKey: API_KEY, restaurantUid: "not-hex" } })
        )
        assert.strictEqual(response.status, 400)
        assert.include(response.text, "credentials.restaurantUid")
        assert.notInclude(response.text, API_KEY)
        // Every field wrong is named with the rule it breaks, and no value is echoed, not even a wrong one.
        const several = yield* request(
          "POST",
          "/api/platform-configs",
          config(restaurantId, {
            credentials: { apiKey: 4242424242, restaurantUid: "zz-secret-uid", culture: "french" }
          })
        )
        assert.strictEqual(several.status, 400)
        const issues = (several.body as { issues: Array<{ path: string; message: string }> }).issues
        assert.deepStrictEqual(
          issues.find((issue) => issue.path === "credentials.restaurantUid")?.message,
          "must be 8 hexadecimal characters"
        )
        assert.deepStrictEqual(
          issues.find((issue) => issue.path === "credentials.apiKey")?.message,
          "Expected a string"
        )
        assert.include(issues.map((issue) => issue.path), "credentials.culture")
        for (const value of ["4242424242", "zz-secret-uid", "french"]) assert.notInclude(several.text, value)
        // A field Zenchef's credentials do not have is refused, not dropped: the zone it meant to set
        // would have been the restaurant's default without a word.
        const misspelt = yield* request(
          "POST",
          "/api/platform-configs",
          config(restaurantId, {
            credentials: { apiKey: API_KEY, restaurantUid: restaurantId.slice(-8), timeZone: "America/New_York" }
          })
        )
        assert.strictEqual(misspelt.status, 400, misspelt.text)
        assert.deepStrictEqual((misspelt.body as { issues: unknown }).issues, [
          { path: "credentials.timeZone", message: "is not a field of this request; did you mean timezone?" }
        ])
        assert.strictEqual(
          ((yield* request("GET", `/api/platform-configs?restaurantId=${restaurantId}`)).body as { total: number })
            .total,
          0
        )
      }))

    it.effect("a config that names no syncEntities pushes what its platform carries: bookings, or orders", () =>
      Effect.gen(function*() {
        const zenchef = yield* request("POST", "/api/platform-configs", config(`resto-${hex8()}`))
        assert.deepStrictEqual((zenchef.body as Record<string, unknown>).syncEntities, ["reservation"])
        const deliveroo = yield* request("POST", "/api/platform-configs", {
          restaurantId: `resto-${hex8()}`,
          platform: "deliveroo",
          credentials: {
            clientId: "client",
            clientSecret: "client-secret-42",
            locationId: `site-${hex8()}`,
            brandId: "brand",
            siteId: "site"
          },
          webhookSecret: "deliveroo-webhook-secret-42"
        })
        assert.strictEqual(deliveroo.status, 201, deliveroo.text)
        assert.deepStrictEqual((deliveroo.body as Record<string, unknown>).syncEntities, ["order"])
        // Named, it is kept as named (a menu is pushed only when asked for).
        const named = yield* request("POST", "/api/platform-configs", {
          ...config(`resto-${hex8()}`),
          syncEntities: ["reservation", "offer"]
        })
        assert.deepStrictEqual((named.body as Record<string, unknown>).syncEntities, ["reservation", "offer"])
        // Named twice, once each: the lists are sets.
        const twice = yield* request("POST", "/api/platform-configs", {
          ...config(`resto-${hex8()}`),
          masterFor: ["reservation", "reservation"],
          syncEntities: ["reservation", "offer", "reservation"]
        })
        assert.deepInclude(twice.body as Record<string, unknown>, {
          masterFor: ["reservation"],
          syncEntities: ["reservation", "offer"]
        })
        const patched = yield* request("PATCH", `/api/platform-configs/${(twice.body as Record<string, unknown>).id}`, {
          syncEntities: ["offer", "offer"]
        })
        assert.deepStrictEqual((patched.body as Record<string, unknown>).syncEntities, ["offer"])
      }))

    it.effect("a second config for the same restaurant and platform is a 409", () =>
      Effect.gen(function*() {
        const restaurantId = `resto-${hex8()}`
        assert.strictEqual((yield* request("POST", "/api/platform-configs", config(restaurantId))).status, 201)
        const again = yield* request("POST", "/api/platform-configs", config(restaurantId))
        assert.strictEqual(again.status, 409)
        assert.notInclude(again.text, API_KEY)
      }))

    it.effect("updating credentials re-encrypts them; the response still hides them", () =>
      Effect.gen(function*() {
        const restaurantId = `resto-${hex8()}`
        const created = (yield* request("POST", "/api/platform-configs", config(restaurantId))).body as Record<
          string,
          unknown
        >
        const updated = yield* request("PATCH", `/api/platform-configs/${created.id}`, {
          credentials: { apiKey: `${API_KEY}-rotated`, restaurantUid: restaurantId.slice(-8) },
          isActive: false
        })
        assert.strictEqual(updated.status, 200, updated.text)
        assert.strictEqual((updated.body as Record<string, unknown>).isActive, false)
        assert.notInclude(updated.text, API_KEY)
        assert.strictEqual(
          (yield* request("PATCH", `/api/platform-configs/${crypto.randomUUID()}`, { isActive: true })).status,
          404
        )
      }))

    it.effect("no log line written while handling these requests carries a credential or webhook secret", () =>
      Effect.gen(function*() {
        assert(lines.length > 0, "logs were captured")
        const all = lines.join("\n")
        assert.notInclude(all, API_KEY)
        assert.notInclude(all, WEBHOOK_SECRET)
      }))
  })
})
