import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { answersSeen, rememberSecret, secretsEchoed } from "../support/answers.js"
import { TestServiceLive } from "../support/app.js"
import { issueKey, request } from "../support/service.js"

/**
 * Issue 17, acceptance: no secret in any answer. Secrets are seeded through the routes (webhook
 * secret, credential values, a webhook URL's token, API keys), then every kind of answer is asked
 * for, error answers first. `request` checks each answer against every secret sent so far (see
 * test/support/answers.ts, which does the same for every HTTP test of the suite); the last test
 * greps all the answers of this file once more.
 */

const suffix = crypto.randomUUID().slice(0, 8)
const API_KEY = `sk-live-seeded-credential-${suffix}`
const WEBHOOK_SECRET = `whsec_${Buffer.from(`seeded-webhook-secret-${suffix}`).toString("base64")}`
const URL_TOKEN = `url-token-${suffix}-0123456789`
const LONG_SECRET = `too-long-secret-${suffix}-`.padEnd(600, "x")
const restaurantId = `resto-secret-${suffix}`

const config = (extra: Record<string, unknown> = {}) => ({
  restaurantId,
  platform: "zenchef",
  credentials: { apiKey: API_KEY, restaurantUid: suffix, timezone: "Europe/Paris" },
  webhookSecret: WEBHOOK_SECRET,
  webhookUrl: `https://hooks.example.com/zenchef?token=${URL_TOKEN}&site=paris`,
  ...extra
})

interface Saved {
  readonly id: string
  readonly webhookUrl: string | null
}

describe("no secret in any answer (issue 17)", () => {
  layer(TestServiceLive)((it) => {
    it.effect("seeds secrets through the routes; success answers hold none, and hide the webhook URL's token", () =>
      Effect.gen(function*() {
        rememberSecret(URL_TOKEN, "the webhook URL's token")
        const created = yield* request("POST", "/api/platform-configs", config())
        assert.strictEqual(created.status, 201, created.text)
        const saved = created.body as Saved
        assert.strictEqual(saved.webhookUrl, "https://hooks.example.com/zenchef?site=paris")
        const got = yield* request("GET", `/api/platform-configs/${saved.id}`)
        assert.strictEqual((got.body as Saved).webhookUrl, "https://hooks.example.com/zenchef?site=paris")
        yield* request("GET", `/api/platform-configs?restaurantId=${restaurantId}`)
        const patched = yield* request("PATCH", `/api/platform-configs/${saved.id}`, {
          webhookUrl: `https://hooks.example.com/zenchef?secret=${URL_TOKEN}`
        })
        assert.strictEqual((patched.body as Saved).webhookUrl, "https://hooks.example.com/zenchef")

        // An API key, shown once at creation, then used: never shown again.
        const issued = yield* request("POST", "/api/admin/api-keys", { name: "secret test", role: "operator" })
        assert.strictEqual(issued.status, 201)
        const key = (issued.body as { key: string }).key
        assert.strictEqual((yield* request("GET", "/api/admin/api-keys", undefined, { key })).status, 403)
        yield* request("GET", "/api/admin/api-keys")
        yield* request("GET", "/api/admin/audit")
        yield* request("GET", "/api/ops/summary", undefined, { key })
      }))

    it.effect("validation errors name the field and the rule, never the value, on every kind of body", () =>
      Effect.gen(function*() {
        rememberSecret(LONG_SECRET, "an over-long webhook secret")
        const tooLong = yield* request("POST", "/api/platform-configs", config({ webhookSecret: LONG_SECRET }))
        assert.strictEqual(tooLong.status, 400)
        assert.include(tooLong.text, "webhookSecret")
        // A secret where a value of another type is expected.
        const misplaced = `misplaced-secret-${suffix}`
        rememberSecret(misplaced, "a secret in the platform field")
        const wrongType = yield* request("POST", "/api/platform-configs", config({ platform: misplaced }))
        assert.strictEqual(wrongType.status, 400)
        assert.include(wrongType.text, "platform")
        const numeric = yield* request("POST", "/api/platform-configs", config({ pollIntervalSec: misplaced }))
        assert.strictEqual(numeric.status, 400)
        const badCredentials = yield* request(
          "POST",
          "/api/platform-configs",
          config({ credentials: { apiKey: API_KEY, restaurantUid: misplaced } })
        )
        assert.strictEqual(badCredentials.status, 400)
        // A secret in a query parameter of the wrong type, and in the query of an unknown route.
        assert.strictEqual((yield* request("GET", `/api/sync/logs?limit=${misplaced}`)).status, 400)
        yield* request("GET", `/api/nowhere?token=${URL_TOKEN}`)
        // Bodies that are not JSON: the whole body used to come back.
        const plain = yield* request("POST", "/api/platform-configs", undefined, {
          rawBody: JSON.stringify(config()),
          contentType: "text/plain"
        })
        assert.strictEqual(plain.status, 415)
        const form = yield* request("POST", "/api/platform-configs", undefined, {
          rawBody: `restaurantId=${restaurantId}&webhookSecret=${encodeURIComponent(WEBHOOK_SECRET)}`,
          contentType: "application/x-www-form-urlencoded"
        })
        assert.strictEqual(form.status, 415)
        const malformed = yield* request("POST", "/api/platform-configs", undefined, {
          rawBody: `{"webhookSecret":"${WEBHOOK_SECRET}",`
        })
        assert.strictEqual(malformed.status, 400)
        // Keys that are not (or no longer) valid.
        const unknown = `ars_unknown-key-${suffix}-abcdefghijklmnopqrstuvwxyz`
        assert.strictEqual((yield* request("GET", "/api/rooms", undefined, { key: unknown })).status, 401)
        const { id, key } = yield* issueKey("app")
        yield* request("POST", `/api/admin/api-keys/${id}/revoke`)
        assert.strictEqual((yield* request("GET", "/api/rooms", undefined, { key })).status, 401)
        const signIn = yield* request("POST", "/ops/session", { key }, { key: null })
        assert.oneOf(signIn.status, [401, 403])
      }))

    it.effect("no answer of this file holds a seeded secret", () =>
      Effect.sync(() => {
        assert.isAbove(answersSeen().length, 20)
        assert.deepStrictEqual(secretsEchoed(), [])
        for (const answer of answersSeen()) {
          for (const secret of [API_KEY, WEBHOOK_SECRET, URL_TOKEN, LONG_SECRET]) {
            assert.notInclude(answer.text, secret, answer.call)
          }
        }
      }))
  })
})
