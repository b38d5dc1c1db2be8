import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { AdminAuditMemory } from "../../src/adapters/memory/admin-audit.js"
import { OpsSessionRepositoryMemory } from "../../src/adapters/memory/ops-sessions.js"
import { AdminAuditSql } from "../../src/adapters/sql/admin-audit.js"
import { OpsSessionRepositorySql } from "../../src/adapters/sql/ops-sessions.js"
import { AdminAudit } from "../../src/ports/admin-audit.js"
import { OpsSessionRepository } from "../../src/ports/ops-sessions.js"
import { TestDatabaseLive } from "../support/database.js"

/** Issue 17: the admin audit and the operator sessions behave alike in PostgreSQL and in memory. */
const contract = (name: string, adapters: Layer.Layer<AdminAudit | OpsSessionRepository>) =>
  describe(`admin audit and operator sessions (${name})`, () => {
    layer(adapters, { excludeTestServices: true })((it) => {
      it.effect("lists newest first, pages, and limits a restricted caller to its restaurants' entries", () =>
        Effect.gen(function*() {
          const audit = yield* AdminAudit
          const who = { keyId: "k1", keyName: "admin one", detail: null }
          yield* audit.record({ ...who, action: "platform_config.created", target: "c1", restaurantId: "r1" })
          yield* audit.record({ ...who, action: "jobs.retries_forced", target: null, restaurantId: null })
          yield* audit.record({ ...who, action: "platform_config.deleted", target: "c2", restaurantId: "r2" })
          const all = yield* audit.list({ restaurantIds: undefined, limit: 10, offset: 0 })
          assert.strictEqual(all.total, 3)
          assert.deepStrictEqual(all.items.map((e) => e.action), [
            "platform_config.deleted",
            "jobs.retries_forced",
            "platform_config.created"
          ])
          assert.deepStrictEqual(
            (yield* audit.list({ restaurantIds: undefined, limit: 1, offset: 1 })).items.map((e) => e.action),
            ["jobs.retries_forced"]
          )
          const r1 = yield* audit.list({ restaurantIds: ["r1" as never], limit: 10, offset: 0 })
          assert.deepStrictEqual(r1.items.map((e) => e.target), ["c1"])
          assert.strictEqual(r1.total, 1)
          assert.strictEqual(all.items[0]?.keyName, "admin one")
        }))

      it.effect("a session is found until it expires, and not after it is removed", () =>
        Effect.gen(function*() {
          const sessions = yield* OpsSessionRepository
          const expiresAt = new Date(Date.now() + 60_000).toISOString()
          yield* sessions.create({ idHash: "h1", keyId: "key-1", expiresAt })
          const now = new Date().toISOString()
          assert.deepStrictEqual(
            Option.map(yield* sessions.find("h1", now), (s) => s.keyId),
            Option.some("key-1")
          )
          assert.isTrue(Option.isNone(yield* sessions.find("h1", new Date(Date.now() + 120_000).toISOString())))
          assert.isTrue(Option.isNone(yield* sessions.find("other", now)))
          yield* sessions.remove("h1")
          assert.isTrue(Option.isNone(yield* sessions.find("h1", now)))
        }))
    })
  })

contract("memory", Layer.mergeAll(AdminAuditMemory, OpsSessionRepositoryMemory))
contract("sql", Layer.mergeAll(AdminAuditSql, OpsSessionRepositorySql).pipe(Layer.provide(TestDatabaseLive)))
