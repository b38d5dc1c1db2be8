import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import type { AuditEntry } from "../../src/ports/admin-audit.js"
import { TestAppLive } from "../support/app.js"
import { samples } from "../support/samples.js"
import { issueKey, makeTestHttpLive, request, ServiceUrl } from "../support/service.js"

/**
 * Issue 17 over real HTTP: the operator page's session cookie (HttpOnly, SameSite=Strict, kept on
 * the server), the CSRF rules (a state-changing request with the cookie needs this site's Origin;
 * the JSON routes refuse the bodies a foreign form can send), /metrics with METRICS_TOKEN, and the
 * admin audit of what keys did.
 */

const METRICS_TOKEN = `metrics-token-${crypto.randomUUID()}`
const ServiceLive = makeTestHttpLive({ metricsToken: Option.some(Redacted.make(METRICS_TOKEN)) }).pipe(
  Layer.provideMerge(TestAppLive)
)

const EVIL = "https://evil.example"

/** Signs in with `key` from the page's own origin: the session cookie (`name=value`) and the answer. */
const signIn = (key: string) =>
  Effect.gen(function*() {
    const origin = yield* ServiceUrl
    const answer = yield* request("POST", "/ops/session", { key }, { key: null, headers: { origin } })
    const setCookie = String(answer.headers["set-cookie"] ?? "")
    return { answer, setCookie, cookie: setCookie.split(";", 1)[0] ?? "" }
  })

describe("the operator page's session and the CSRF rules (issue 17)", () => {
  layer(ServiceLive)((it) => {
    it.effect("a key signs in once; the cookie is HttpOnly, SameSite=Strict and opens the page's data", () =>
      Effect.gen(function*() {
        const operator = yield* issueKey("operator", null, "night operator")
        const { answer, cookie, setCookie } = yield* signIn(operator.key)
        assert.strictEqual(answer.status, 200, answer.text)
        assert.match(setCookie, /^ars_ops_session=[\w-]{40,};/)
        assert.match(setCookie, /HttpOnly/i)
        assert.match(setCookie, /SameSite=Strict/i)
        assert.match(setCookie, /Path=\//)
        assert.notInclude(setCookie, operator.key)
        const withCookie = { key: null, headers: { cookie } }
        assert.deepStrictEqual((yield* request("GET", "/ops/session", undefined, withCookie)).body, {
          signedIn: true,
          name: "night operator",
          role: "operator"
        })
        assert.deepStrictEqual((yield* request("GET", "/ops/session", undefined, { key: null })).body, {
          signedIn: false
        })
        assert.strictEqual((yield* request("GET", "/api/ops/summary", undefined, withCookie)).status, 200)
        assert.strictEqual((yield* request("GET", "/api/sync/jobs?status=dead", undefined, withCookie)).status, 200)
        // The session carries the key's role: an admin route is 403, not 401.
        assert.strictEqual((yield* request("GET", "/api/admin/api-keys", undefined, withCookie)).status, 403)
        // A made-up session is 401.
        const forged = { key: null, headers: { cookie: "ars_ops_session=forged-session-id" } }
        assert.strictEqual((yield* request("GET", "/api/ops/summary", undefined, forged)).status, 401)

        // Signing out ends the session on the server, whatever the browser keeps.
        const origin = yield* ServiceUrl
        const out = yield* request("DELETE", "/ops/session", undefined, { key: null, headers: { cookie, origin } })
        assert.strictEqual(out.status, 204)
        assert.strictEqual((yield* request("GET", "/api/ops/summary", undefined, withCookie)).status, 401)
      }))

    it.effect("only operator keys sign in; a revoked key ends its sessions", () =>
      Effect.gen(function*() {
        const app = yield* issueKey("app")
        assert.strictEqual((yield* signIn(app.key)).answer.status, 403)
        assert.strictEqual((yield* signIn("ars_not-a-key-at-all-0123456789")).answer.status, 401)
        const operator = yield* issueKey("operator")
        const { cookie } = yield* signIn(operator.key)
        const withCookie = { key: null, headers: { cookie } }
        assert.strictEqual((yield* request("GET", "/api/ops/summary", undefined, withCookie)).status, 200)
        yield* request("POST", `/api/admin/api-keys/${operator.id}/revoke`)
        assert.strictEqual((yield* request("GET", "/api/ops/summary", undefined, withCookie)).status, 401)
        // Signing in from another site is refused.
        const foreign = yield* request("POST", "/ops/session", { key: (yield* issueKey("operator")).key }, {
          key: null,
          headers: { origin: EVIL }
        })
        assert.strictEqual(foreign.status, 403)
      }))

    it.effect("CSRF: with the cookie, a state-changing request needs this site's Origin", () =>
      Effect.gen(function*() {
        const operator = yield* issueKey("operator")
        const { cookie } = yield* signIn(operator.key)
        const origin = yield* ServiceUrl
        const retry = (headers: Record<string, string>) =>
          Effect.map(
            request("POST", "/api/sync/retry?force=true", undefined, { key: null, headers: { cookie, ...headers } }),
            (answer) => answer.status
          )
        assert.strictEqual(yield* retry({}), 403, "cookie without Origin")
        assert.strictEqual(yield* retry({ origin: EVIL }), 403, "cookie with a foreign Origin")
        assert.strictEqual(yield* retry({ origin: "null" }), 403, "cookie with an opaque Origin")
        assert.strictEqual(yield* retry({ origin }), 200, "cookie from the page itself")

        // The issue's form posts: a foreign form with the cookie, and without it.
        const form = (headers: Record<string, string>) =>
          request("POST", "/api/rooms", undefined, {
            key: null,
            rawBody: `restaurantId=resto-csrf&name=Hacked`,
            contentType: "application/x-www-form-urlencoded",
            headers
          })
        assert.strictEqual((yield* form({ cookie, origin: EVIL })).status, 403)
        assert.strictEqual((yield* form({ origin: EVIL })).status, 415)
        const withKey = yield* request("POST", "/api/rooms", undefined, {
          rawBody: `restaurantId=resto-csrf&name=Hacked`,
          contentType: "application/x-www-form-urlencoded",
          headers: { origin: EVIL }
        })
        assert.strictEqual(withKey.status, 415, "a form body is refused even with a key")
        const multipart = yield* request("PATCH", "/api/rooms/00000000-0000-4000-8000-000000000000", undefined, {
          rawBody: "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nHacked\r\n--b--\r\n",
          contentType: "multipart/form-data; boundary=b"
        })
        assert.strictEqual(multipart.status, 415)
        const plain = yield* request("POST", "/api/sync/retry?force=true", undefined, {
          rawBody: "x=1",
          contentType: "text/plain"
        })
        assert.strictEqual(plain.status, 415)
        // Reads with the cookie need no Origin (a link to the page is not a forgery).
        assert.strictEqual(
          (yield* request("GET", "/api/ops/summary", undefined, { key: null, headers: { cookie } })).status,
          200
        )
        // A bearer key is not a browser's ambient credential: no Origin needed.
        assert.strictEqual((yield* request("POST", "/api/sync/retry", undefined)).status, 200)
        const room = yield* request("POST", "/api/rooms", samples.diningRoom(`resto-csrf-${operator.id.slice(0, 8)}`))
        assert.strictEqual(room.status, 201)
      }))

    it.effect("/metrics takes an operator key or METRICS_TOKEN, nothing else", () =>
      Effect.gen(function*() {
        const get = (key: string | null) =>
          Effect.map(request("GET", "/metrics", undefined, { key, expectText: true }), (a) => a.status)
        assert.strictEqual(yield* get(null), 401)
        assert.strictEqual(yield* get("not-the-metrics-token"), 401)
        assert.strictEqual(yield* get((yield* issueKey("app")).key), 403)
        assert.strictEqual(yield* get((yield* issueKey("operator")).key), 200)
        assert.strictEqual(yield* get(METRICS_TOKEN), 200)
      }))

    it.effect("the OpenAPI document declares the bearer key and the session cookie", () =>
      Effect.gen(function*() {
        const doc = (yield* request("GET", "/openapi.json")).body as {
          components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> }
        }
        assert.deepInclude(doc.components.securitySchemes, { bearer: { type: "http", scheme: "bearer" } } as never)
        const session = Object.values(doc.components.securitySchemes).find((s) => s.in === "cookie")
        assert.strictEqual(session?.name, "ars_ops_session")
      }))

    it.effect("the audit says which key created, changed and deleted a config, forced retries, made and revoked keys", () =>
      Effect.gen(function*() {
        const suffix = crypto.randomUUID().slice(0, 8)
        const restaurantId = `resto-audit-${suffix}`
        const admin = yield* issueKey("admin", null, `admin ${suffix}`)
        const asAdmin = { key: admin.key }
        const created = yield* request("POST", "/api/platform-configs", {
          restaurantId,
          platform: "zenchef",
          credentials: { apiKey: `sk-audit-${suffix}-secret`, restaurantUid: suffix, timezone: "Europe/Paris" },
          webhookSecret: `whsec_${Buffer.from(`audit-webhook-secret-${suffix}-padding`).toString("base64")}`
        }, asAdmin)
        assert.strictEqual(created.status, 201, created.text)
        const configId = (created.body as { id: string }).id
        yield* request("PATCH", `/api/platform-configs/${configId}`, { pollIntervalSec: 600 }, asAdmin)
        yield* request("DELETE", `/api/platform-configs/${configId}`, undefined, asAdmin)
        const key = yield* request("POST", "/api/admin/api-keys", {
          name: `voice ${suffix}`,
          role: "app",
          restaurants: [restaurantId]
        }, asAdmin)
        const keyId = (key.body as { id: string }).id
        yield* request("POST", `/api/admin/api-keys/${keyId}/revoke`, undefined, asAdmin)
        yield* request("POST", "/api/sync/retry?force=true", undefined, asAdmin)

        const page = (yield* request("GET", "/api/admin/audit?limit=500")).body as {
          items: ReadonlyArray<AuditEntry>
          total: number
        }
        const mine = page.items.filter((entry) => entry.keyId === admin.id)
        assert.deepStrictEqual(mine.map((entry) => entry.action).reverse(), [
          "platform_config.created",
          "platform_config.updated",
          "platform_config.deleted",
          "api_key.created",
          "api_key.revoked",
          "jobs.retries_forced"
        ])
        assert.isTrue(mine.every((entry) => entry.keyName === `admin ${suffix}`))
        const updated = mine.find((entry) => entry.action === "platform_config.updated")
        assert.deepInclude(updated, { target: configId, restaurantId, detail: "pollIntervalSec" })
        assert.strictEqual(mine.find((entry) => entry.action === "api_key.revoked")?.target, keyId)

        // Admins only; an admin limited to a restaurant sees that restaurant's entries alone.
        assert.strictEqual(
          (yield* request("GET", "/api/admin/audit", undefined, { key: (yield* issueKey("operator")).key })).status,
          403
        )
        const limited = yield* issueKey("admin", [restaurantId])
        const theirs = (yield* request("GET", "/api/admin/audit?limit=500", undefined, { key: limited.key })).body as {
          items: ReadonlyArray<AuditEntry>
        }
        assert.isAbove(theirs.items.length, 0)
        assert.isTrue(theirs.items.every((entry) => entry.restaurantId === restaurantId))
      }))
  })
})
