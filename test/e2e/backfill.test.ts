import { assert, describe, layer } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as os from "node:os"
import { CredentialCipherAesGcm } from "../../src/adapters/crypto/aes-gcm-cipher.js"
import { DatabaseLive } from "../../src/adapters/sql/database.js"
import { AppServicesLive, RepositoriesSql } from "../../src/app/layers.js"
import { SyncSettingsTest } from "../../src/app/workers/settings.js"
import type { EntityType } from "../../src/domain/ids.js"
import { MappingRepository } from "../../src/ports/mapping-repository.js"
import { ZenchefSimulator } from "../../src/simulators/zenchef/index.js"
import { TestConnectorsLive, TestServiceLive } from "../support/app.js"
import { freshDatabaseUrl } from "../support/database.js"
import { request, TestHttpLive } from "../support/service.js"

type Body = Record<string, unknown>
interface Report {
  readonly dryRun: boolean
  readonly matched: ReadonlyArray<
    { entityType: string; localId: string; localName: string; externalId: string; externalName: string }
  >
  readonly unmatchedLocal: ReadonlyArray<{ entityType: string; localName: string }>
  readonly unmatchedRemote: ReadonlyArray<{ entityType: string; externalId: string }>
  readonly ambiguous: ReadonlyArray<
    { entityType: string; localName: string; candidates: ReadonlyArray<{ externalId: string }> }
  >
  readonly created: number
}

const create = (path: string, body: unknown) =>
  Effect.flatMap(
    request("POST", path, body),
    (r) =>
      r.status === 201
        ? Effect.succeed(r.body as Body & { id: string })
        : Effect.dieMessage(`${path}: ${r.status} ${r.text}`)
  )

const area = (id: number, name: string) => ({ id, name, displayName: { en: name, nl: name } })
const table = (id: number, name: string, minPeople: number, maxPeople: number, areaId: number) => ({
  id,
  name,
  minPeople,
  maxPeople,
  areaId
})

/**
 * Zenchef already has a floor plan and products; the restaurant has its own, partly the same under
 * other spellings. Two local rooms claim "Terrasse" and two Zenchef tables are "Table Haute": both
 * are doubts to report. The brunch offer was linked before the backfill and must stay out of it.
 */
const backfillWorld = Effect.gen(function*() {
  const sim = yield* ZenchefSimulator.start({ rateLimit: null })
  const apiKey = `key-${randomBytes(6).toString("hex")}`
  const seeded = yield* sim.seedRestaurant({
    apiKeys: [apiKey],
    timeZone: "Europe/Paris",
    areas: [area(1, "Salle Principale"), area(2, "Terrasse"), area(3, "Bar")],
    tables: [
      table(10, "T1", 2, 4, 1),
      table(11, "T2", 1, 2, 1),
      table(12, "T3", 4, 8, 2),
      table(13, "Table Haute", 1, 2, 3),
      table(14, "Table Haute", 1, 2, 3)
    ],
    products: [{ uid: "decouverte", title: "Menu Découverte" }, { uid: "brunch", title: "Brunch du dimanche" }, {
      uid: "enfant",
      title: "Menu enfant"
    }]
  })
  const restaurantId = `resto-${randomBytes(4).toString("hex")}`
  yield* create("/api/platform-configs", {
    restaurantId,
    platform: "zenchef",
    credentials: { apiKey, restaurantUid: seeded.uid, timezone: "Europe/Paris", baseUrl: sim.url }
  })
  const service = (name: string) =>
    create("/api/dining-services", {
      restaurantId,
      name,
      dayOfWeek: [2, 3, 4, 5, 6],
      startTime: "18:00",
      endTime: "22:30",
      maxCovers: 40
    })
  const room = (name: string) => create("/api/rooms", { restaurantId, name })
  const localTable = (label: string, seats: number, diningRoomId: string | null) =>
    create("/api/tables", { restaurantId, label, seats, diningRoomId })
  const offer = (name: string) => create("/api/offers", { restaurantId, name })
  const ids = {
    evening: (yield* service("18:00 - 22:30")).id,
    dinner: (yield* service("Dîner")).id,
    main: (yield* room("salle principale")).id,
    terrace1: (yield* room("Terrasse")).id,
    terrace2: (yield* room("TERRASSE")).id,
    cellar: (yield* room("Cave")).id,
    brunch: (yield* offer("Brunch du Dimanche")).id,
    discovery: (yield* offer("Menu découverte")).id,
    lunchOffer: (yield* offer("Formule midi")).id
  }
  const tables = {
    t1: (yield* localTable("t1", 4, ids.main)).id,
    // Same name as Zenchef's T2, but six seats where Zenchef's takes two.
    t2: (yield* localTable("T2", 6, ids.main)).id,
    // Fits Zenchef's T3 by seats, but that one is on the terrace.
    t3: (yield* localTable("T3", 6, ids.main)).id,
    high: (yield* localTable("Table haute", 2, null)).id
  }
  const mappings = yield* MappingRepository
  yield* mappings.upsert({
    restaurantId: restaurantId as never,
    entityType: "offer",
    entityId: ids.brunch,
    platform: "zenchef",
    externalId: "brunch",
    syncStatus: "synced",
    syncedAt: null
  })
  return { sim, restaurantId, ids: { ...ids, ...tables } }
})

type World = Effect.Effect.Success<typeof backfillWorld>

const mappingPairs = (restaurantId: string) =>
  Effect.map(request("GET", `/api/sync/mappings?restaurantId=${restaurantId}&platform=zenchef&limit=500`), (r) => {
    const page = r.body as {
      items: Array<{ entityType: EntityType; entityId: string; externalId: string }>
      total: number
    }
    return page.items.map((m) => `${m.entityType} ${m.entityId} → ${m.externalId}`).sort()
  })

const expectedLinks = (w: World) => [
  `dining_service ${w.ids.evening} → shift:1080-1350:dinner-menu`,
  `dining_room ${w.ids.main} → 1`,
  `table ${w.ids.t1} → 10`,
  `offer ${w.ids.discovery} → decouverte`
]

const backfill = (restaurantId: string, dryRun: boolean) =>
  Effect.map(
    request("POST", "/api/backfill", { restaurantId, platform: "zenchef", dryRun }),
    (r) => ({ status: r.status, report: r.body as Report, text: r.text })
  )

describe("backfill against the Zenchef simulator (R-10.1)", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("a dry run reports matched, ambiguous and unmatched items and writes nothing", () =>
      Effect.gen(function*() {
        const w = yield* backfillWorld
        const before = yield* mappingPairs(w.restaurantId)
        const { report, status, text } = yield* backfill(w.restaurantId, true)
        assert.strictEqual(status, 200, text)
        assert.strictEqual(report.dryRun, true)
        assert.strictEqual(report.created, 0)
        assert.sameMembers(
          report.matched.map((m) => `${m.entityType} ${m.localId} → ${m.externalId}`),
          expectedLinks(w)
        )
        assert.deepInclude(report.matched, {
          entityType: "dining_room",
          localId: w.ids.main,
          localName: "salle principale",
          externalId: "1",
          externalName: "Salle Principale"
        })
        assert.sameDeepMembers(
          report.ambiguous.map((a) => [a.entityType, a.localName, a.candidates.map((c) => c.externalId)]),
          [
            ["dining_room", "Terrasse", ["2"]],
            ["dining_room", "TERRASSE", ["2"]],
            ["table", "Table haute", ["13", "14"]]
          ]
        )
        assert.sameMembers(report.unmatchedLocal.map((u) => `${u.entityType} ${u.localName}`), [
          "dining_service Dîner",
          "dining_room Cave",
          "table T2",
          "table T3",
          "offer Formule midi"
        ])
        assert.sameMembers(report.unmatchedRemote.map((u) => `${u.entityType} ${u.externalId}`), [
          "dining_service shift:720-870:lunch-menu",
          "dining_room 3",
          "table 11",
          "table 12",
          "offer enfant"
        ])
        assert.deepStrictEqual(yield* mappingPairs(w.restaurantId), before)
      }))

    it.scoped("the real run creates exactly the matched mappings, and a second run finds nothing left to link", () =>
      Effect.gen(function*() {
        const w = yield* backfillWorld
        const before = yield* mappingPairs(w.restaurantId)
        assert.deepStrictEqual(before, [`offer ${w.ids.brunch} → brunch`])
        const { report, status, text } = yield* backfill(w.restaurantId, false)
        assert.strictEqual(status, 200, text)
        assert.strictEqual(report.created, 4)
        assert.deepStrictEqual(yield* mappingPairs(w.restaurantId), [...before, ...expectedLinks(w)].sort())
        const again = yield* backfill(w.restaurantId, false)
        assert.strictEqual(again.report.created, 0)
        assert.deepStrictEqual(again.report.matched, [])
        assert.strictEqual(again.report.ambiguous.length, 3)
        assert.strictEqual((yield* mappingPairs(w.restaurantId)).length, 5)
      }))

    it.effect("a restaurant without a config for the platform is a 404; a bad request a 400", () =>
      Effect.gen(function*() {
        const missing = yield* request("POST", "/api/backfill", {
          restaurantId: "resto-none",
          platform: "zenchef",
          dryRun: true
        })
        assert.strictEqual(missing.status, 404, missing.text)
        assert.strictEqual((missing.body as Body)._tag, "NotFound")
        assert.strictEqual(
          (yield* request("POST", "/api/backfill", { restaurantId: "resto-none", platform: "opentable", dryRun: true }))
            .status,
          400
        )
        assert.strictEqual(
          (yield* request("POST", "/api/backfill", { restaurantId: "resto-none", platform: "zenchef" })).status,
          400
        )
      }))
  })
})

class DatabaseUrl extends Context.Tag("test/DatabaseUrl")<DatabaseUrl, string>() {}
const key = randomBytes(32)

/** The service on a database and key the CLI can be pointed at, as an operator would. */
const CliServiceLive = Layer.unwrapScoped(
  Effect.map(freshDatabaseUrl, (url) =>
    TestHttpLive.pipe(
      Layer.provideMerge(AppServicesLive),
      Layer.provideMerge(Layer.mergeAll(TestConnectorsLive(), SyncSettingsTest)),
      Layer.provideMerge(RepositoriesSql),
      Layer.provideMerge(CredentialCipherAesGcm(key)),
      Layer.provideMerge(DatabaseLive({ url: Redacted.make(url), maxConnections: 5 })),
      Layer.provideMerge(Layer.succeed(DatabaseUrl, url))
    ))
).pipe(Layer.orDie)

const runCli = (args: ReadonlyArray<string>) =>
  Effect.flatMap(DatabaseUrl, (url) =>
    Effect.async<{ code: number; stdout: string; stderr: string }>((resume) => {
      execFile("node_modules/.bin/tsx", ["src/app/backfill-cli.ts", ...args], {
        env: {
          ...process.env,
          DATABASE_URL: url,
          CREDENTIALS_KEY: key.toString("base64"),
          DATA_DIR: os.tmpdir(),
          PLATFORM_URL_ALLOWLIST: "127.0.0.1,localhost"
        },
        timeout: 60_000
      }, (error, stdout, stderr) =>
        resume(Effect.succeed({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr })))
    }))

describe("npm run backfill (R-10.1)", () => {
  layer(CliServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("prints the report, writes on a real run only, and exits non-zero on error", () =>
      Effect.gen(function*() {
        const w = yield* backfillWorld
        const dry = yield* runCli(["--restaurant", w.restaurantId, "--platform", "zenchef", "--dry-run"])
        assert.strictEqual(dry.code, 0, dry.stderr)
        assert.include(dry.stdout, "Dry run: nothing was written.")
        assert.include(dry.stdout, "Matched (4):")
        assert.include(dry.stdout, `"salle principale" (${w.ids.main})  →  "Salle Principale" [1]`)
        assert.include(dry.stdout, "Ambiguous, link by hand (3):")
        assert.strictEqual((yield* mappingPairs(w.restaurantId)).length, 1)

        const real = yield* runCli(["--restaurant", w.restaurantId, "--platform", "zenchef"])
        assert.strictEqual(real.code, 0, real.stderr)
        assert.include(real.stdout, "4 mapping(s) created.")
        assert.deepStrictEqual(
          yield* mappingPairs(w.restaurantId),
          [`offer ${w.ids.brunch} → brunch`, ...expectedLinks(w)].sort()
        )

        const unknown = yield* runCli(["--restaurant", "resto-none", "--platform", "zenchef"])
        assert.strictEqual(unknown.code, 1)
        assert.include(unknown.stderr, "backfill failed: platform config zenchef of restaurant resto-none not found")
      }))
  })
})
