import { assert, describe, layer } from "@effect/vitest"
import { Clock, Effect, type Layer, TestClock } from "effect"
import type { RestaurantId } from "../../../src/domain/ids.js"
import { type SyncLogEntry, SyncLogRepository } from "../../../src/ports/sync-log-repository.js"
import { newRestaurant } from "./platform-config.contract.js"

const entry = (restaurantId: RestaurantId, overrides: Partial<SyncLogEntry> = {}): SyncLogEntry => ({
  restaurantId,
  entityType: "reservation",
  entityId: crypto.randomUUID(),
  platform: "zenchef",
  externalId: "zc-1",
  direction: "outbound",
  action: "create",
  status: "success",
  ...overrides
})

/** What a stored line holds for the details an entry leaves out. */
const absentDetails = {
  requestPayload: null,
  responsePayload: null,
  errorMessage: null,
  conflictResolution: null,
  retryCount: 0,
  nextRetryAt: null,
  durationMs: null,
  jobId: null
}

/**
 * Every detail of a failed attempt, payloads of several JSON shapes: platform bodies as they come
 * (snake_case keys, arrays mixing objects and strings) must come back untouched.
 */
const failedAttempt = (restaurantId: RestaurantId) =>
  entry(restaurantId, {
    action: "update",
    status: "retry",
    requestPayload: { partySize: 4, booking_id: 7, tables: ["T1", "T2"], notes: "fenêtre", deposit: null, paid: false },
    responsePayload: [{ code: 503 }, { code: 429, retry_after: 30 }, "busy"],
    errorMessage: "Service unavailable",
    conflictResolution: "remote_wins",
    retryCount: 2,
    nextRetryAt: "2030-01-01T10:30:00.000Z",
    durationMs: 1234,
    jobId: 42
  })

const iso = (ms: number) => new Date(ms).toISOString()

/** The behaviour every SyncLogRepository shares, whatever stores it. */
export const syncLogContract = (name: string, repositories: Layer.Layer<SyncLogRepository>) =>
  describe(`sync log repository (${name})`, () => {
    layer(repositories)((it) => {
      it.effect("append returns the stored line, absent details as null, stamped by the clock", () =>
        Effect.gen(function*() {
          const logs = yield* SyncLogRepository
          const restaurantId = newRestaurant()
          yield* TestClock.adjust("1 hour")
          const now = yield* Clock.currentTimeMillis
          const stored = yield* logs.append(entry(restaurantId, { entityId: null, externalId: null }))
          assert.match(stored.id, /^[0-9a-f-]{36}$/)
          assert.deepStrictEqual(stored, {
            ...entry(restaurantId, { entityId: null, externalId: null }),
            ...absentDetails,
            id: stored.id,
            createdAt: iso(now)
          })
          assert.deepStrictEqual((yield* logs.list({ restaurantId, limit: 10, offset: 0 })).items, [stored])
        }))

      it.effect("keeps payloads and every detail of a failed attempt", () =>
        Effect.gen(function*() {
          const logs = yield* SyncLogRepository
          const full = failedAttempt(newRestaurant())
          const stored = yield* logs.append(full)
          assert.deepStrictEqual({ ...stored, id: "", createdAt: "" }, { ...full, id: "", createdAt: "" })
          assert.deepStrictEqual((yield* logs.list({ restaurantId: full.restaurantId, limit: 1, offset: 0 })).items, [
            stored
          ])
        }))

      it.effect("appendMany stores lines as append would: payloads as JSON, absent details as null, stamped by the clock", () =>
        Effect.gen(function*() {
          const logs = yield* SyncLogRepository
          const restaurantId = newRestaurant()
          yield* TestClock.adjust("2 hours")
          const now = yield* Clock.currentTimeMillis
          const bare = entry(restaurantId, { entityId: null, externalId: null, action: "create" })
          const full = failedAttempt(restaurantId)
          const scalars = entry(restaurantId, {
            action: "cancel",
            requestPayload: "cancelled by guest",
            responsePayload: 0
          })
          yield* logs.appendMany([bare, full, scalars])
          yield* logs.appendMany([])
          const page = yield* logs.list({ restaurantId, limit: 10, offset: 0 })
          assert.strictEqual(page.total, 3)
          const byAction = new Map(page.items.map((l) => [l.action, l]))
          for (
            const [input, expected] of [
              [bare, { ...absentDetails, ...bare }],
              [full, full],
              [scalars, { ...absentDetails, ...scalars }]
            ] as const
          ) {
            const stored = byAction.get(input.action)!
            assert.match(stored.id, /^[0-9a-f-]{36}$/)
            assert.deepStrictEqual(stored, { ...expected, id: stored.id, createdAt: iso(now) }, input.action)
          }
          assert.strictEqual(new Set(page.items.map((l) => l.id)).size, 3)
        }))

      it.effect("lists newest first, paginated, with the total", () =>
        Effect.gen(function*() {
          const logs = yield* SyncLogRepository
          const restaurantId = newRestaurant()
          const appended = []
          for (const action of ["create", "update", "cancel", "status_change"] as const) {
            appended.push(yield* logs.append(entry(restaurantId, { action })))
            yield* TestClock.adjust("1 second")
          }
          yield* logs.append(entry(newRestaurant()))
          const page = yield* logs.list({ restaurantId, limit: 2, offset: 1 })
          assert.deepStrictEqual([page.total, page.limit, page.offset], [4, 2, 1])
          assert.deepStrictEqual(page.items.map((l) => l.action), ["cancel", "update"])
          const past = yield* logs.list({ restaurantId, limit: 2, offset: 4 })
          assert.deepStrictEqual([past.total, past.items], [4, []])
          const none = yield* logs.list({ restaurantId: newRestaurant(), limit: 2, offset: 0 })
          assert.deepStrictEqual([none.total, none.items], [0, []])
        }))

      it.effect("filters by platform, entity, status and direction", () =>
        Effect.gen(function*() {
          const logs = yield* SyncLogRepository
          const restaurantId = newRestaurant()
          const entityId = crypto.randomUUID()
          const a = yield* logs.append(entry(restaurantId, { entityId, status: "failed" }))
          yield* TestClock.adjust("1 second")
          const b = yield* logs.append(entry(restaurantId, { entityId, platform: "thefork", direction: "inbound" }))
          yield* TestClock.adjust("1 second")
          const c = yield* logs.append(entry(restaurantId, { entityType: "order", entityId, status: "skipped" }))
          const ids = (filter: Omit<Parameters<typeof logs.list>[0], "limit" | "offset">) =>
            Effect.map(logs.list({ restaurantId, limit: 10, offset: 0, ...filter }), (p) => p.items.map((l) => l.id))
          assert.deepStrictEqual(yield* ids({}), [c.id, b.id, a.id])
          assert.deepStrictEqual(yield* ids({ platform: "thefork" }), [b.id])
          assert.deepStrictEqual(yield* ids({ entityType: "reservation", entityId }), [b.id, a.id])
          assert.deepStrictEqual(yield* ids({ entityId: crypto.randomUUID() }), [])
          assert.deepStrictEqual(yield* ids({ status: "failed" }), [a.id])
          assert.deepStrictEqual(yield* ids({ direction: "inbound" }), [b.id])
          assert.deepStrictEqual(yield* ids({ direction: "outbound", status: "skipped" }), [c.id])
          const byPlatform = yield* logs.list({ platform: "thefork", entityId, limit: 10, offset: 0 })
          assert.deepStrictEqual(byPlatform.items.map((l) => l.id), [b.id])
        }))

      it.effect("filters by time: from inclusive, to exclusive", () =>
        Effect.gen(function*() {
          const logs = yield* SyncLogRepository
          const restaurantId = newRestaurant()
          const start = yield* Clock.currentTimeMillis
          const stamps = []
          for (let i = 0; i < 4; i++) {
            stamps.push((yield* logs.append(entry(restaurantId))).id)
            yield* TestClock.adjust("1 minute")
          }
          const between = yield* logs.list({
            restaurantId,
            from: iso(start + 60_000),
            to: iso(start + 180_000),
            limit: 10,
            offset: 0
          })
          assert.deepStrictEqual(between.items.map((l) => l.id), [stamps[2], stamps[1]])
          assert.strictEqual(between.total, 2)
          const since = yield* logs.list({ restaurantId, from: iso(start + 1), limit: 10, offset: 0 })
          assert.deepStrictEqual(since.items.map((l) => l.id), [stamps[3], stamps[2], stamps[1]])
        }))
    })
  })
