import { Clock, Effect, Option, Schema } from "effect"
import { matchByName, type NameMatchingOptions, tableCapacityCompatible } from "../../domain/backfill-matching.js"
import type { DiningRoomSyncDTO, OfferSyncDTO, ServiceSyncDTO, TableSyncDTO } from "../../domain/dtos.js"
import type { DiningTable } from "../../domain/entities.js"
import { refKey } from "../../domain/id-resolution.js"
import { Platform, RestaurantId } from "../../domain/ids.js"
import type { PulledRecord } from "../../ports/connector-capabilities.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import * as Repos from "../../ports/entity-repository.js"
import { MappingRepository } from "../../ports/mapping-repository.js"
import { traced } from "../../ports/traced.js"
import { notFound } from "../errors.js"
import { allOfRestaurant } from "../paging.js"
import { ConfigCache } from "../sync/config-cache.js"
import { requireRestaurant } from "./access.js"

/** The entity types a backfill links: what a restaurant already has on both sides. */
const BackfillEntityType = Schema.Literal("dining_service", "dining_room", "table", "offer")
type BackfillEntityType = typeof BackfillEntityType.Type

const Local = { entityType: BackfillEntityType, localId: Schema.String, localName: Schema.String }
const Remote = { externalId: Schema.String, externalName: Schema.String }

export const BackfillReport = Schema.Struct({
  dryRun: Schema.Boolean,
  matched: Schema.Array(Schema.Struct({ ...Local, ...Remote })),
  unmatchedLocal: Schema.Array(Schema.Struct(Local)),
  unmatchedRemote: Schema.Array(Schema.Struct({ entityType: BackfillEntityType, ...Remote })),
  /** Never guessed: an operator links these by hand. */
  ambiguous: Schema.Array(Schema.Struct({ ...Local, candidates: Schema.Array(Schema.Struct(Remote)) })),
  /** Mappings written; always 0 on a dry run. */
  created: Schema.Int
})
export type BackfillReport = typeof BackfillReport.Type

export const BackfillRequest = Schema.Struct({
  restaurantId: RestaurantId,
  platform: Platform,
  dryRun: Schema.Boolean
})

interface Link {
  readonly entityType: BackfillEntityType
  readonly entityId: string
  readonly externalId: string
  readonly raw: unknown
}

type Section = Omit<BackfillReport, "dryRun" | "created"> & { readonly links: ReadonlyArray<Link> }

/** One entity type: match what neither side has linked yet, and describe the outcome. */
const section = <L extends { readonly id: string }, A>(
  entityType: BackfillEntityType,
  locals: ReadonlyArray<L>,
  remotes: ReadonlyArray<PulledRecord<A>>,
  options: NameMatchingOptions<L, PulledRecord<A>>
): Section => {
  const m = matchByName(locals, remotes, options)
  const local = (l: L) => ({ entityType, localId: l.id, localName: options.localName(l) })
  const remote = (r: PulledRecord<A>) => ({ externalId: r.externalId, externalName: options.remoteName(r) })
  return {
    matched: m.matched.map((p) => ({ ...local(p.local), ...remote(p.remote) })),
    unmatchedLocal: m.unmatchedLocal.map(local),
    unmatchedRemote: m.unmatchedRemote.map((r) => ({ entityType, ...remote(r) })),
    ambiguous: m.ambiguous.map((a) => ({ ...local(a.local), candidates: a.candidates.map(remote) })),
    links: m.matched.map((p) => ({
      entityType,
      entityId: p.local.id,
      externalId: p.remote.externalId,
      raw: p.remote.data
    }))
  }
}

/** A platform without a capability has nothing of that kind to link. */
const pullIf = <C, A, E>(capability: C | undefined, pull: (c: C) => Effect.Effect<ReadonlyArray<PulledRecord<A>>, E>) =>
  capability === undefined ? Effect.succeed<ReadonlyArray<PulledRecord<A>>>([]) : pull(capability)

/**
 * links a restaurant's services, rooms, tables and offers to those a newly connected
 * platform already has, by normalized name (and, for tables, capacity and room). Only certain
 * links are made; a dry run reports without writing.
 */
export class Backfill extends Effect.Service<Backfill>()("Backfill", {
  effect: Effect.gen(function*() {
    const services = yield* Repos.DiningServiceRepository
    const rooms = yield* Repos.DiningRoomRepository
    const tables = yield* Repos.DiningTableRepository
    const offers = yield* Repos.OfferRepository
    const mappings = yield* MappingRepository
    const registry = yield* ConnectorRegistry
    const cache = yield* ConfigCache
    const transactor = yield* Repos.Transactor

    const run = (restaurantId: RestaurantId, platform: Platform, dryRun: boolean) =>
      Effect.gen(function*() {
        const loaded = yield* cache.byRestaurant(restaurantId, platform).pipe(
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(notFound("platform config", `${platform} of restaurant ${restaurantId}`)),
            onSome: Effect.succeed
          }))
        )
        const connector = yield* registry.connectorFor(loaded.connector)
        const [remoteServices, remoteRooms, remoteTables, remoteOffers] = yield* Effect.all([
          pullIf(connector.floorPlan, (c) => c.pullServices()),
          pullIf(connector.floorPlan, (c) => c.pullDiningRooms()),
          pullIf(connector.floorPlan, (c) => c.pullTables()),
          pullIf(connector.offers, (c) => c.pullOffers())
        ], { concurrency: 2 })
        const [localServices, localRooms, localTables, localOffers] = yield* Effect.all([
          allOfRestaurant(services, restaurantId),
          allOfRestaurant(rooms, restaurantId),
          allOfRestaurant(tables, restaurantId),
          allOfRestaurant(offers, restaurantId)
        ], { concurrency: 4 })

        // Either side already linked is left alone: backfill never moves an existing mapping.
        const localRefs = (entityType: BackfillEntityType, items: ReadonlyArray<{ readonly id: string }>) =>
          items.map((i) => ({ entityType, entityId: i.id }))
        const remoteRefs = (entityType: BackfillEntityType, items: ReadonlyArray<PulledRecord<unknown>>) =>
          items.map((r) => ({ entityType, externalId: r.externalId }))
        const [externalOf, localOf] = yield* Effect.all([
          mappings.externalIdsOf(platform, [
            ...localRefs("dining_service", localServices),
            ...localRefs("dining_room", localRooms),
            ...localRefs("table", localTables),
            ...localRefs("offer", localOffers)
          ]),
          mappings.localIdsOf(restaurantId, platform, [
            ...remoteRefs("dining_service", remoteServices),
            ...remoteRefs("dining_room", remoteRooms),
            ...remoteRefs("table", remoteTables),
            ...remoteRefs("offer", remoteOffers)
          ])
        ], { concurrency: 2 })
        const unlinked = <L extends { readonly id: string }>(entityType: BackfillEntityType, items: ReadonlyArray<L>) =>
          items.filter((i) => !externalOf.has(refKey(entityType, i.id)))
        const free = <A>(entityType: BackfillEntityType, items: ReadonlyArray<PulledRecord<A>>) =>
          items.filter((r) => !localOf.has(refKey(entityType, r.externalId)))

        const roomSection = section(
          "dining_room",
          unlinked("dining_room", localRooms),
          free("dining_room", remoteRooms),
          {
            localName: (r) => r.name,
            remoteName: (r: PulledRecord<DiningRoomSyncDTO>) => r.data.name
          }
        )
        // A table's room, once linked (before or just now), must be the platform table's area too.
        const roomLinks = new Map(roomSection.links.map((l) => [l.entityId, l.externalId]))
        const sameRoom = (t: DiningTable, remote: TableSyncDTO) => {
          const area = t.diningRoomId === null
            ? undefined
            : externalOf.get(refKey("dining_room", t.diningRoomId)) ?? roomLinks.get(t.diningRoomId)
          return area === undefined || remote.diningRoomExternalId === undefined || area === remote.diningRoomExternalId
        }
        const sections = [
          section("dining_service", unlinked("dining_service", localServices), free("dining_service", remoteServices), {
            localName: (s) => s.name,
            remoteName: (r: PulledRecord<ServiceSyncDTO>) => r.data.name
          }),
          roomSection,
          section("table", unlinked("table", localTables), free("table", remoteTables), {
            localName: (t) => t.label,
            remoteName: (r: PulledRecord<TableSyncDTO>) => r.data.label,
            compatible: (t, r) => tableCapacityCompatible(t, r.data) && sameRoom(t, r.data)
          }),
          section("offer", unlinked("offer", localOffers), free("offer", remoteOffers), {
            localName: (o) => o.name,
            remoteName: (r: PulledRecord<OfferSyncDTO>) => r.data.name
          })
        ]
        const links = sections.flatMap((s) => s.links)
        const syncedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
        const created = dryRun ? 0 : (yield* transactor.withTransaction(Effect.forEach(links, (l) =>
          mappings.upsert({
            restaurantId,
            entityType: l.entityType,
            entityId: l.entityId,
            platform,
            externalId: l.externalId,
            externalRawData: l.raw,
            syncStatus: "synced",
            syncedAt
          })))).length
        return {
          dryRun,
          matched: sections.flatMap((s) => s.matched),
          unmatchedLocal: sections.flatMap((s) => s.unmatchedLocal),
          unmatchedRemote: sections.flatMap((s) => s.unmatchedRemote),
          ambiguous: sections.flatMap((s) => s.ambiguous),
          created
        } satisfies BackfillReport
      }).pipe(traced("Backfill.run", { attributes: { restaurantId, platform, dryRun } }))

    // Issue 17: a key limited to some restaurants backfills only those.
    return {
      run: (restaurantId: RestaurantId, platform: Platform, dryRun: boolean) =>
        Effect.zipRight(requireRestaurant(restaurantId), run(restaurantId, platform, dryRun))
    }
  })
}) {}
