import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import type { ApiKeys } from "../../src/app/services/api-keys.js"
import type { Role } from "../../src/domain/access.js"
import { TestServiceLive } from "../support/app.js"
import { samples } from "../support/samples.js"
import { issueKey, request } from "../support/service.js"

/**
 * Issue 17, acceptance: every operation of /openapi.json is called with no key, a revoked key, a
 * key of the role below, a key of another restaurant and a right key (limited to the restaurants
 * the call names). An operation missing from `cases` fails the test: a route added later must say
 * who may call it.
 */

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/** What a call's set-up may use: the service under test and its keys. */
type Env = Effect.Effect.Context<ReturnType<typeof request>> | ApiKeys

interface Call {
  readonly path: string
  readonly body?: unknown
}

interface World {
  /** The restaurant every call names; `mine` are the restaurants of the right keys, `other` of the foreign ones. */
  readonly restaurant: string
  readonly spare: () => string
  readonly ids: Readonly<Record<string, string>>
  readonly fresh: (path: string, body: unknown) => Effect.Effect<string, never, Env>
}

interface Case {
  readonly role: Role
  readonly call: (w: World) => Effect.Effect<Call, never, Env> | Call
  /** `scoped`: a key of another restaurant is served, its own records only (no restaurant is named). */
  readonly foreign?: "refused" | "scoped"
  /** The right key's status when it is known exactly. */
  readonly ok?: number
  /** Streams answer forever: only the refusals are checked. */
  readonly streams?: boolean
}

const public_ = new Set(["health.health", "webhooks.receive"])

const FRIDAY = "2030-06-07"
const resources = {
  reservations: { sample: samples.reservation, deletable: false },
  diningServices: { sample: samples.diningService, deletable: true },
  offers: { sample: samples.offer, deletable: true },
  rooms: { sample: samples.diningRoom, deletable: true },
  tables: { sample: samples.diningTable, deletable: true },
  menuItems: { sample: samples.menuItem, deletable: true },
  customers: { sample: samples.customer, deletable: true },
  orders: { sample: samples.order, deletable: false }
} as const
const paths: Record<keyof typeof resources, string> = {
  reservations: "/api/reservations",
  diningServices: "/api/dining-services",
  offers: "/api/offers",
  rooms: "/api/rooms",
  tables: "/api/tables",
  menuItems: "/api/menu-items",
  customers: "/api/customers",
  orders: "/api/orders"
}

const zenchef = (restaurantId: string) => ({
  restaurantId,
  platform: "zenchef",
  credentials: {
    apiKey: "key-access-control",
    restaurantUid: crypto.randomUUID().slice(0, 8),
    timezone: "Europe/Paris"
  }
})

const resourceCases = Object.fromEntries(
  Object.entries(resources).flatMap(([group, spec]) => {
    const base = paths[group as keyof typeof resources]
    const entries: Array<[string, Case]> = [
      [`${group}.list`, {
        role: "app",
        call: (w) => ({ path: `${base}?restaurantId=${w.restaurant}` }),
        foreign: "refused",
        ok: 200
      }],
      [`${group}.create`, {
        role: "app",
        call: (w) => ({ path: base, body: spec.sample(w.restaurant) }),
        foreign: "refused",
        ok: 201
      }],
      [`${group}.get`, {
        role: "app",
        call: (w) => ({ path: `${base}/${w.ids[group]}` }),
        foreign: "refused",
        ok: 200
      }],
      [`${group}.update`, {
        role: "app",
        call: (w) => ({ path: `${base}/${w.ids[group]}`, body: {} }),
        foreign: "refused",
        ok: 200
      }]
    ]
    if (spec.deletable) {
      entries.push([`${group}.remove`, {
        role: "app",
        call: (w) => Effect.map(w.fresh(base, spec.sample(w.restaurant)), (id) => ({ path: `${base}/${id}` })),
        foreign: "refused",
        ok: 204
      }])
    }
    return entries
  })
)

const cases: Record<string, Case> = {
  ...resourceCases,
  "platformConfigs.list": {
    role: "admin",
    call: (w) => ({ path: `/api/platform-configs?restaurantId=${w.restaurant}` }),
    foreign: "refused",
    ok: 200
  },
  "platformConfigs.create": {
    role: "admin",
    call: (w) => ({ path: "/api/platform-configs", body: zenchef(w.spare()) }),
    foreign: "refused",
    ok: 201
  },
  "platformConfigs.get": {
    role: "admin",
    call: (w) => ({ path: `/api/platform-configs/${w.ids.config}` }),
    foreign: "refused",
    ok: 200
  },
  "platformConfigs.update": {
    role: "admin",
    call: (w) => ({ path: `/api/platform-configs/${w.ids.config}`, body: {} }),
    foreign: "refused",
    ok: 200
  },
  "platformConfigs.remove": {
    role: "admin",
    call: (w) =>
      Effect.map(
        w.fresh("/api/platform-configs", zenchef(w.spare())),
        (id) => ({ path: `/api/platform-configs/${id}` })
      ),
    foreign: "refused",
    ok: 204
  },
  "platformConfigs.check": {
    role: "admin",
    call: (w) => ({ path: `/api/platform-configs/${w.ids.config}/check` }),
    foreign: "refused",
    ok: 200
  },
  // Zenchef has no store status: 409 once access is granted.
  "platformConfigs.storeStatus": {
    role: "operator",
    call: (w) => ({ path: `/api/platform-configs/${w.ids.config}/store-status` }),
    foreign: "refused",
    ok: 409
  },
  "platformConfigs.setStoreStatus": {
    role: "operator",
    call: (w) => ({ path: `/api/platform-configs/${w.ids.config}/store-status`, body: { status: "open" } }),
    foreign: "refused",
    ok: 409
  },
  "platformConfigs.rotateWebhookSecret": {
    role: "admin",
    call: (w) => ({ path: `/api/platform-configs/${w.ids.config}/webhook-secret`, body: {} }),
    foreign: "refused"
  },
  "restaurants.getSettings": {
    role: "app",
    call: (w) => ({ path: `/api/restaurants/${w.restaurant}/settings` }),
    foreign: "refused",
    ok: 200
  },
  "restaurants.putSettings": {
    role: "app",
    call: (w) => ({ path: `/api/restaurants/${w.restaurant}/settings`, body: { timezone: "Europe/Paris" } }),
    foreign: "refused",
    ok: 200
  },
  "sync.logs": {
    role: "app",
    call: (w) => ({ path: `/api/sync/logs?restaurantId=${w.restaurant}` }),
    foreign: "refused",
    ok: 200
  },
  "sync.mappings": {
    role: "app",
    call: (w) => ({ path: `/api/sync/mappings?restaurantId=${w.restaurant}` }),
    foreign: "refused",
    ok: 200
  },
  "sync.retryCount": { role: "app", call: () => ({ path: "/api/sync/retry" }), foreign: "scoped", ok: 200 },
  "sync.runRetries": {
    role: "operator",
    call: () => ({ path: "/api/sync/retry?force=true" }),
    foreign: "scoped",
    ok: 200
  },
  "sync.jobs": {
    role: "app",
    call: (w) => ({ path: `/api/sync/jobs?status=dead&restaurantId=${w.restaurant}` }),
    foreign: "refused",
    ok: 200
  },
  "sync.replay": {
    role: "operator",
    call: () => ({ path: "/api/sync/jobs/999999999/replay" }),
    foreign: "refused",
    ok: 404
  },
  "voiceAi.context": {
    role: "app",
    call: (w) => ({ path: `/api/voice-ai/context?restaurantId=${w.restaurant}` }),
    foreign: "refused",
    ok: 200
  },
  "voiceAi.checkAvailability": {
    role: "app",
    call: (w) => ({
      path: "/api/voice-ai/tools/check_availability",
      body: { restaurantId: w.restaurant, date: FRIDAY, party_size: 2 }
    }),
    foreign: "refused",
    ok: 200
  },
  "voiceAi.confirmReservation": {
    role: "app",
    call: (w) => ({
      path: "/api/voice-ai/tools/confirm_reservation",
      body: {
        restaurantId: w.restaurant,
        customer_name: "Ana Ruiz",
        customer_phone: "+33612345678",
        party_size: 2,
        date: FRIDAY,
        time: "20:00"
      }
    }),
    foreign: "refused"
  },
  "backfill.run": {
    role: "admin",
    call: (w) => ({ path: "/api/backfill", body: { restaurantId: w.restaurant, platform: "thefork", dryRun: true } }),
    foreign: "refused",
    ok: 404
  },
  "apiKeys.create": {
    role: "admin",
    call: (w) => ({
      path: "/api/admin/api-keys",
      body: { name: "made by a test", role: "app", restaurants: [w.restaurant] }
    }),
    foreign: "refused",
    ok: 201
  },
  "apiKeys.list": { role: "admin", call: () => ({ path: "/api/admin/api-keys" }), foreign: "scoped", ok: 200 },
  "audit.list": { role: "admin", call: () => ({ path: "/api/admin/audit" }), foreign: "scoped", ok: 200 },
  "apiKeys.revoke": {
    role: "admin",
    call: (w) =>
      Effect.map(issueKey("app", [w.restaurant]), ({ id }) => ({ path: `/api/admin/api-keys/${id}/revoke` })),
    foreign: "refused",
    ok: 200
  },
  "changes.page": {
    role: "app",
    call: (w) => ({ path: `/api/changes?restaurantId=${w.restaurant}` }),
    foreign: "refused",
    ok: 200
  },
  "changes.stream": {
    role: "app",
    call: (w) => ({ path: `/api/changes/stream?restaurantId=${w.restaurant}` }),
    foreign: "refused",
    streams: true
  },
  "changes.deliveries": {
    role: "operator",
    call: () => ({ path: "/api/changes/deliveries" }),
    foreign: "scoped",
    ok: 200
  },
  "changes.replay": {
    role: "operator",
    call: () => ({ path: "/api/changes/deliveries/999999999/replay" }),
    foreign: "refused",
    ok: 404
  }
}

const below: Record<Role, Role | undefined> = { app: undefined, operator: "app", admin: "operator" }

interface Operation {
  readonly id: string
  readonly method: Method
  readonly path: string
  readonly secured: boolean
}

const send = (method: Method, call: Call, key: string | null) =>
  request(method, call.path, call.body, { key, expectText: true }).pipe(
    Effect.timeoutFail({ duration: "15 seconds", onTimeout: () => new Error(`${method} ${call.path}: no answer`) }),
    Effect.orDie
  )

describe("issue 17: every operation of the OpenAPI document is guarded", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.effect(
      "no key and a revoked key are 401, the role below is 403, another restaurant 403 or 404, the right key passes",
      () =>
        Effect.gen(function*() {
          const suffix = crypto.randomUUID().slice(0, 8)
          const restaurant = `resto-a-${suffix}`
          let spares = 0
          const spareIds = Array.from({ length: 6 }, (_, i) => `resto-a${i}-${suffix}`)
          const mine = [restaurant, ...spareIds]
          const fresh = (path: string, body: unknown) =>
            Effect.map(request("POST", path, body), (response) => {
              assert.strictEqual(response.status, 201, `${path}: ${response.text}`)
              return (response.body as { readonly id: string }).id
            })
          const ids: Record<string, string> = {}
          for (const [group, spec] of Object.entries(resources)) {
            ids[group] = yield* fresh(paths[group as keyof typeof resources], spec.sample(restaurant))
          }
          ids.config = yield* fresh("/api/platform-configs", zenchef(restaurant))
          const world: World = {
            restaurant,
            ids,
            fresh,
            spare: () => spareIds[spares++]!
          }

          const keys = {
            right: {
              app: (yield* issueKey("app", mine)).key,
              operator: (yield* issueKey("operator", mine)).key,
              admin: (yield* issueKey("admin", mine)).key
            },
            all: { app: (yield* issueKey("app")).key, operator: (yield* issueKey("operator")).key },
            foreign: {
              app: (yield* issueKey("app", [`resto-b-${suffix}`])).key,
              operator: (yield* issueKey("operator", [`resto-b-${suffix}`])).key,
              admin: (yield* issueKey("admin", [`resto-b-${suffix}`])).key
            }
          }
          const revoked = yield* issueKey("admin")
          assert.strictEqual((yield* request("POST", `/api/admin/api-keys/${revoked.id}/revoke`)).status, 200)

          const spec = (yield* request("GET", "/openapi.json")).body as {
            readonly paths: Record<
              string,
              Record<string, { readonly operationId: string; readonly security: ReadonlyArray<unknown> }>
            >
          }
          const operations: Array<Operation> = Object.entries(spec.paths).flatMap(([path, item]) =>
            Object.entries(item).map(([method, op]) => ({
              id: op.operationId,
              method: method.toUpperCase() as Method,
              path,
              secured: op.security.length > 0
            }))
          )
          assert.isAbove(operations.length, 50)
          const unlisted = operations.filter((op) => !public_.has(op.id) && cases[op.id] === undefined).map((op) =>
            op.id
          )
          assert.deepStrictEqual(unlisted, [], "operations with no access rule in this test")

          const failures: Array<string> = []
          const expect = (
            op: Operation,
            what: string,
            status: number,
            allowed: ReadonlyArray<number> | ((s: number) => boolean),
            text: string
          ) => {
            const ok = typeof allowed === "function" ? allowed(status) : allowed.includes(status)
            if (!ok) failures.push(`${op.method} ${op.path} (${op.id}), ${what}: ${status} ${text.slice(0, 200)}`)
          }
          for (const op of operations) {
            if (public_.has(op.id)) {
              assert.isFalse(op.secured, `${op.id} is public: it should declare no security`)
              continue
            }
            const rule = cases[op.id]!
            if (!op.secured) failures.push(`${op.id}: no security scheme in the OpenAPI document`)
            const call = yield* Effect.suspend(() => {
              const c = rule.call(world)
              return Effect.isEffect(c) ? c : Effect.succeed(c)
            })
            const none = yield* send(op.method, call, null)
            expect(op, "no key", none.status, [401], none.text)
            const gone = yield* send(op.method, call, revoked.key)
            expect(op, "revoked key", gone.status, [401], gone.text)
            const lower = below[rule.role]
            if (lower !== undefined) {
              const weak = yield* send(op.method, call, keys.all[lower as "app" | "operator"])
              expect(op, `${lower} key`, weak.status, [403], weak.text)
            }
            const foreign = yield* send(op.method, call, keys.foreign[rule.role])
            expect(
              op,
              "another restaurant's key",
              foreign.status,
              rule.foreign === "scoped" ? (s) => s < 400 : [403, 404],
              foreign.text
            )
            if (rule.streams === true) continue
            const right = yield* send(op.method, call, keys.right[rule.role])
            expect(
              op,
              `${rule.role} key of the restaurant`,
              right.status,
              rule.ok !== undefined ? [rule.ok] : (s) => s !== 401 && s !== 403 && s !== 500,
              right.text
            )
            for (const response of [none, gone, foreign, right]) {
              for (const secret of [revoked.key, ...Object.values(keys.right), ...Object.values(keys.foreign)]) {
                if (response.text.includes(secret)) failures.push(`${op.id}: an answer holds an API key`)
              }
            }
          }
          assert.deepStrictEqual(failures, [])
        }),
      180_000
    )

    it.effect("the routes beside the API ask for an operator key", () =>
      Effect.gen(function*() {
        const app = (yield* issueKey("app")).key
        const operator = (yield* issueKey("operator")).key
        for (const path of ["/openapi.json", "/docs", "/api/ops/summary"]) {
          assert.strictEqual(
            (yield* request("GET", path, undefined, { key: null, expectText: true })).status,
            401,
            path
          )
          assert.strictEqual((yield* request("GET", path, undefined, { key: app, expectText: true })).status, 403, path)
          assert.strictEqual(
            (yield* request("GET", path, undefined, { key: operator, expectText: true })).status,
            200,
            path
          )
        }
      }))

    it.effect("a key limited to one restaurant lists only that restaurant's records, and cannot reach another's", () =>
      Effect.gen(function*() {
        const suffix = crypto.randomUUID().slice(0, 8)
        const [mine, theirs] = [`resto-m-${suffix}`, `resto-t-${suffix}`]
        const ours = yield* request("POST", "/api/rooms", samples.diningRoom(mine))
        const other = yield* request("POST", "/api/rooms", samples.diningRoom(theirs))
        const { key } = yield* issueKey("app", [mine])
        const listed = (yield* request("GET", "/api/rooms?limit=500", undefined, { key })).body as {
          readonly items: ReadonlyArray<{ readonly restaurantId: string }>
        }
        assert.isAbove(listed.items.length, 0)
        assert.isTrue(listed.items.every((room) => room.restaurantId === mine))
        const otherId = (other.body as { readonly id: string }).id
        assert.strictEqual((yield* request("GET", `/api/rooms/${otherId}`, undefined, { key })).status, 404)
        assert.strictEqual((yield* request("PATCH", `/api/rooms/${otherId}`, { name: "Hacked" }, { key })).status, 404)
        assert.strictEqual((yield* request("DELETE", `/api/rooms/${otherId}`, undefined, { key })).status, 404)
        assert.strictEqual((yield* request("GET", `/api/rooms?restaurantId=${theirs}`, undefined, { key })).status, 403)
        assert.strictEqual((yield* request("POST", "/api/rooms", samples.diningRoom(theirs), { key })).status, 403)
        const ourId = (ours.body as { readonly id: string }).id
        assert.strictEqual((yield* request("PATCH", `/api/rooms/${ourId}`, { name: "Ours" }, { key })).status, 200)
        // The other restaurant's room is untouched.
        assert.strictEqual(
          ((yield* request("GET", `/api/rooms/${otherId}`)).body as { readonly name: string }).name,
          "Salle Principale"
        )
      }))

    it.effect("an admin key is shown once: the list names keys by prefix, never the key", () =>
      Effect.gen(function*() {
        const created = yield* request("POST", "/api/admin/api-keys", {
          name: "voice AI resto-1",
          role: "app",
          restaurants: ["resto-1"]
        })
        assert.strictEqual(created.status, 201, created.text)
        const issued = created.body as { readonly id: string; readonly key: string; readonly prefix: string }
        assert.match(issued.key, /^ars_[A-Za-z0-9_-]{43}$/)
        assert.isTrue(issued.key.startsWith(issued.prefix))
        const list = yield* request("GET", "/api/admin/api-keys")
        assert.notInclude(list.text, issued.key)
        assert.include(list.text, issued.id)
        const context = yield* request("GET", "/api/voice-ai/context?restaurantId=resto-1", undefined, {
          key: issued.key
        })
        assert.strictEqual(context.status, 200)
        assert.strictEqual((yield* request("POST", `/api/admin/api-keys/${issued.id}/revoke`)).status, 200)
        // A restaurant named twice is kept once, and the audit names it as the key's one restaurant.
        const twice = yield* request("POST", "/api/admin/api-keys", {
          name: "twice",
          role: "app",
          restaurants: ["resto-2", " resto-2", "resto-3", "resto-2"]
        })
        assert.deepInclude(twice.body as object, { restaurants: ["resto-2", "resto-3"] })
        const once = yield* request("POST", "/api/admin/api-keys", {
          name: "once",
          role: "app",
          restaurants: ["resto-4", "resto-4"]
        })
        assert.deepInclude(once.body as object, { restaurants: ["resto-4"] })
        const audit = yield* request("GET", "/api/admin/audit")
        const made = (audit.body as { readonly items: ReadonlyArray<Record<string, unknown>> }).items
          .find((entry) => entry["target"] === (once.body as { readonly id: string }).id)
        assert.deepInclude(made, { restaurantId: "resto-4" })
        const after = yield* request("GET", "/api/voice-ai/context?restaurantId=resto-1", undefined, {
          key: issued.key
        })
        assert.strictEqual(after.status, 401)
        assert.notInclude(after.text, issued.key)
      }))
  })
})
