import { Clock, Effect, identity, Layer, Option, Ref } from "effect"
import { inScope } from "../../domain/access.js"
import { refKey } from "../../domain/id-resolution.js"
import type { ExternalId } from "../../domain/ids.js"
import {
  type ExternalMapping,
  MappingRepository,
  type MappingUpsert,
  upsertedMapping
} from "../../ports/mapping-repository.js"
import { pageOf } from "./page.js"

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

const localKey = (m: Pick<ExternalMapping, "entityType" | "entityId" | "platform">) =>
  `${m.entityType}|${m.entityId}|${m.platform}`

// Same order as the SQL adapter (byte order of entity type, entity id, platform).
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const byEntity = (a: ExternalMapping, b: ExternalMapping) =>
  compare(a.entityType, b.entityType) || compare(a.entityId, b.entityId) || compare(a.platform, b.platform)

const make = Effect.gen(function*() {
  const store = yield* Ref.make<ReadonlyMap<string, ExternalMapping>>(new Map())
  const all = Effect.map(Ref.get(store), (mappings) => [...mappings.values()])
  const find = (predicate: (m: ExternalMapping) => boolean) =>
    Effect.map(all, (mappings) => Option.fromNullable(mappings.find(predicate)))

  const upsert = (mapping: MappingUpsert) =>
    Effect.gen(function*() {
      const now = yield* nowIso
      const stored = yield* Ref.modify(
        store,
        (mappings): readonly [ExternalMapping | undefined, ReadonlyMap<string, ExternalMapping>] => {
          const key = localKey(mapping)
          const current = mappings.get(key)
          const next = upsertedMapping(current, mapping, now)
          const clash = [...mappings.values()].some((m) =>
            m.id !== next.id && m.restaurantId === next.restaurantId && m.platform === next.platform &&
            m.entityType === next.entityType && m.externalId === next.externalId
          )
          return clash ? [undefined, mappings] : [next, new Map(mappings).set(key, next)]
        }
      )
      // The SQL table's second unique key breaks the same way: a defect, not an expected failure.
      return stored ?? (yield* Effect.dieMessage(
        `${mapping.platform} ${mapping.entityType} ${mapping.externalId} is already mapped to another local record`
      ))
    })

  return MappingRepository.of({
    upsert,
    setStatus: (entity, platforms, status, from) =>
      Effect.flatMap(nowIso, (now) =>
        Ref.update(store, (mappings) => {
          const next = new Map(mappings)
          for (const platform of platforms) {
            const key = localKey({ ...entity, platform })
            const current = next.get(key)
            if (
              current !== undefined && current.syncStatus !== status &&
              (from === undefined || current.syncStatus === from)
            ) {
              next.set(key, { ...current, syncStatus: status, updatedAt: now })
            }
          }
          return next
        })),
    upsertMany: (mappings) => Effect.forEach(mappings, upsert, { discard: true }),
    removeForEntity: (entity) =>
      Ref.modify(store, (mappings) => {
        const gone = [...mappings.values()].filter((m) =>
          m.entityType === entity.entityType && m.entityId === entity.entityId
        )
        const next = new Map(mappings)
        for (const m of gone) next.delete(localKey(m))
        return [gone.length, next]
      }),
    findByEntity: (entityType, entityId, platform) =>
      Effect.map(
        Ref.get(store),
        (mappings) => Option.fromNullable(mappings.get(localKey({ entityType, entityId, platform })))
      ),
    findByExternal: (restaurantId, platform, entityType, externalId) =>
      find((m) =>
        m.restaurantId === restaurantId && m.platform === platform && m.entityType === entityType &&
        m.externalId === externalId
      ),
    findManyByExternal: (keys) =>
      Effect.map(all, (mappings) => {
        const wanted = new Set(keys.map((k) => `${k.restaurantId}|${k.platform}|${k.entityType}|${k.externalId}`))
        return mappings.filter((m) => wanted.has(`${m.restaurantId}|${m.platform}|${m.entityType}|${m.externalId}`))
      }),
    externalIdsOf: (platform, refs) =>
      Effect.map(Ref.get(store), (mappings) => {
        const found = new Map<string, ExternalId>()
        for (const ref of refs) {
          const mapping = mappings.get(localKey({ ...ref, platform }))
          if (mapping !== undefined) found.set(refKey(ref.entityType, ref.entityId), mapping.externalId)
        }
        return found
      }),
    localIdsOf: (restaurantId, platform, refs) =>
      Effect.map(all, (mappings) => {
        const wanted = new Set(refs.map((r) => refKey(r.entityType, r.externalId)))
        return new Map(
          mappings
            .filter((m) =>
              m.restaurantId === restaurantId && m.platform === platform &&
              wanted.has(refKey(m.entityType, m.externalId))
            )
            .map((m) => [refKey(m.entityType, m.externalId), m.entityId])
        )
      }),
    list: (filter) =>
      Effect.map(all, (mappings) => {
        const matching = mappings
          .filter((m) =>
            (filter.restaurantId === undefined || m.restaurantId === filter.restaurantId) &&
            inScope(filter.restaurantIds, m.restaurantId) &&
            (filter.platform === undefined || m.platform === filter.platform) &&
            (filter.entityType === undefined || m.entityType === filter.entityType) &&
            (filter.entityId === undefined || m.entityId === filter.entityId)
          )
          .sort(byEntity)
        return pageOf(matching, filter, identity)
      })
  })
})

export const MappingRepositoryMemory = Layer.effect(MappingRepository, make)
