import { Clock, Context, Effect, Option } from "effect"
import { customersByContact } from "../../domain/customer-contact.js"
import type { Customer } from "../../domain/entities.js"
import type { EntityType, Platform } from "../../domain/ids.js"
import { refKey } from "../../domain/id-resolution.js"
import { definedFields } from "../../domain/normalize.js"
import {
  type CustomerContact,
  CustomerRepository,
  type CustomerRepo,
  EntityNotFound,
  type EntityRepository,
  ReservationRepository,
  type ReservationRepo
} from "../../ports/entity-repository.js"
import { type ExternalKey, type ExternalMapping, MappingRepository, type MappingUpsert, upsertedMapping } from "../../ports/mapping-repository.js"

/**
 * The repositories an inbound batch works through, inside its transaction: reads come from rows
 * loaded in a few set-based queries up front (a miss is loaded on demand), writes are kept and
 * flushed at the end, a handful of statements for the whole batch. Every event of the batch sees
 * the writes of the events before it, as if they had been applied one by one.
 */

const externalKey = (k: ExternalKey) => `${k.restaurantId}|${k.platform}|${k.entityType}|${k.externalId}`
const localKey = (entityType: EntityType, entityId: string, platform: Platform) => `${entityType}|${entityId}|${platform}`
const contactKeys = (c: CustomerContact) => [
  ...(c.phone?.trim() ? [`${c.restaurantId}|phone|${c.phone.trim()}`] : []),
  ...(c.email?.trim() ? [`${c.restaurantId}|email|${c.email.trim().toLowerCase()}`] : [])
]


const unavailable = (operation: string) => Effect.dieMessage(`${operation} is not available inside an inbound batch`)

interface Stored {
  readonly id: string
  readonly restaurantId: string
  readonly version?: number
}

/** Entity rows of one table: known rows, rows to insert, patches of existing rows, in order. */
const entityBuffer = <A extends Stored, C extends object, P extends object>(
  real: EntityRepository<A, C, P>,
  versioned: boolean,
  onRemember: (row: A) => void = () => {}
) => {
  const known = new Map<string, A>()
  const inserts = new Map<string, A>()
  const patches: Array<{ readonly id: string; readonly patch: P }> = []
  const remember = (row: A) => {
    known.set(row.id, row)
    onRemember(row)
  }
  const getMany = (ids: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const missing = [...new Set(ids.filter((id) => !known.has(id)))]
      if (missing.length > 0) for (const row of yield* real.getMany(missing)) remember(row)
      return ids.flatMap((id) => known.get(id) ?? [])
    })
  const get = (id: string) =>
    Effect.flatMap(getMany([id]), ([row]) =>
      row === undefined ? Effect.fail(new EntityNotFound({ entityType: real.entityType, id })) : Effect.succeed(row))
  const repository: EntityRepository<A, C, P> = {
    entityType: real.entityType,
    get,
    getMany,
    create: (input) =>
      Effect.map(Clock.currentTimeMillis, (ms) => {
        const now = new Date(ms).toISOString()
        const row = { ...input, id: crypto.randomUUID(), createdAt: now, updatedAt: now, ...(versioned ? { version: 1 } : {}) } as unknown as A
        remember(row)
        inserts.set(row.id, row)
        return row
      }),
    update: (id, patch) =>
      Effect.gen(function* () {
        const current = yield* get(id)
        const changes = definedFields(patch)
        if (Object.keys(changes).length === 0) return current
        const now = new Date(yield* Clock.currentTimeMillis).toISOString()
        const updated = { ...current, ...changes, updatedAt: now, ...(versioned ? { version: (current.version ?? 0) + 1 } : {}) } as A
        remember(updated)
        // A row born in this batch is inserted as it ends up; an existing one gets its patches.
        if (inserts.has(id)) inserts.set(id, updated)
        else patches.push({ id, patch: changes as P })
        return updated
      }),
    list: () => unavailable("list"),
    remove: () => unavailable("remove"),
    insertMany: () => unavailable("insertMany"),
    updateMany: () => unavailable("updateMany")
  }
  const flush = Effect.suspend(() => Effect.zipRight(real.insertMany([...inserts.values()]), real.updateMany(patches)))
  return { repository, known, inserts, remember, flush }
}

export const makeUnitOfWork = Effect.gen(function* () {
  const realReservations = yield* ReservationRepository
  const realCustomers = yield* CustomerRepository
  const realMappings = yield* MappingRepository

  // Known customers by contact key, so a look-up costs the same in a batch of 10 or of 1,000.
  // A key stays after its customer's contact changes: candidates are checked again on reading.
  const customerIdsByContact = new Map<string, Set<string>>()
  const indexContacts = (row: Customer) => {
    for (const key of contactKeys({ restaurantId: row.restaurantId, phone: row.phone ?? undefined, email: row.email ?? undefined })) {
      const ids = customerIdsByContact.get(key)
      if (ids === undefined) customerIdsByContact.set(key, new Set([row.id]))
      else ids.add(row.id)
    }
  }
  const reservations = entityBuffer(realReservations, true)
  const customers = entityBuffer(realCustomers, false, indexContacts)
  const coveredContacts = new Set<string>()
  const knownCustomersByContact = (contact: CustomerContact) => {
    const candidates = new Set<string>()
    for (const key of contactKeys(contact)) for (const id of customerIdsByContact.get(key) ?? []) candidates.add(id)
    return [...candidates].flatMap((id) => customers.known.get(id) ?? [])
  }

  const byExternal = new Map<string, ExternalMapping | null>()
  const byEntity = new Map<string, ExternalMapping | null>()
  const upserts: Array<MappingUpsert> = []
  const rememberMapping = (m: ExternalMapping) => {
    byExternal.set(externalKey(m), m)
    byEntity.set(localKey(m.entityType, m.entityId, m.platform), m)
  }

  const loadExternal = (keys: ReadonlyArray<ExternalKey>) =>
    Effect.gen(function* () {
      const missing = keys.filter((k) => !byExternal.has(externalKey(k)))
      if (missing.length === 0) return
      for (const k of missing) byExternal.set(externalKey(k), null)
      for (const m of yield* realMappings.findManyByExternal(missing)) rememberMapping(m)
    })
  const loadContacts = (contacts: ReadonlyArray<CustomerContact>) =>
    Effect.gen(function* () {
      const missing = contacts.filter((c) => contactKeys(c).some((k) => !coveredContacts.has(k)))
      if (missing.length === 0) return
      for (const c of missing) for (const k of contactKeys(c)) coveredContacts.add(k)
      for (const row of yield* realCustomers.findManyByContact(missing)) {
        if (!customers.known.has(row.id)) customers.remember(row)
      }
    })
  const mappingRepository = MappingRepository.of({
    ...realMappings,
    findByExternal: (restaurantId, platform, entityType, externalId) =>
      Effect.map(loadExternal([{ restaurantId, platform, entityType, externalId }]), () =>
        Option.fromNullable(byExternal.get(externalKey({ restaurantId, platform, entityType, externalId })))),
    findByEntity: (entityType, entityId, platform) =>
      Effect.gen(function* () {
        const key = localKey(entityType, entityId, platform)
        // A record born in this batch has no mapping yet: no need to ask.
        const bornHere = (entityType === "reservation" && reservations.inserts.has(entityId)) ||
          (entityType === "customer" && customers.inserts.has(entityId))
        if (!byEntity.has(key) && !bornHere) {
          const found = yield* realMappings.findByEntity(entityType, entityId, platform)
          if (Option.isSome(found)) rememberMapping(found.value)
          else byEntity.set(key, null)
        }
        return Option.fromNullable(byEntity.get(key))
      }),
    localIdsOf: (restaurantId, platform, refs) =>
      Effect.map(loadExternal(refs.map((r) => ({ restaurantId, platform, ...r }))), () => {
        const found = new Map<string, string>()
        for (const r of refs) {
          const m = byExternal.get(externalKey({ restaurantId, platform, ...r }))
          if (m) found.set(refKey(r.entityType, r.externalId), m.entityId)
        }
        return found
      }),
    upsert: (mapping) =>
      Effect.gen(function* () {
        const current = Option.getOrUndefined(yield* mappingRepository.findByEntity(mapping.entityType, mapping.entityId, mapping.platform))
        const next = upsertedMapping(current, mapping, new Date(yield* Clock.currentTimeMillis).toISOString())
        if (current !== undefined && current.externalId !== next.externalId) byExternal.set(externalKey(current), null)
        rememberMapping(next)
        upserts.push(mapping)
        return next
      }),
    upsertMany: () => unavailable("upsertMany"),
    list: () => unavailable("list")
  })

  const reservationRepository: ReservationRepo = { ...reservations.repository, listBetween: () => unavailable("listBetween") }
  const customerRepository: CustomerRepo = {
    ...customers.repository,
    findByContact: (restaurantId, contact) =>
      Effect.map(loadContacts([{ restaurantId, ...contact }]), () => customersByContact(knownCustomersByContact({ restaurantId, ...contact }), restaurantId, contact)),
    findManyByContact: () => unavailable("findManyByContact")
  }

  return {
    context: Context.make(ReservationRepository, reservationRepository).pipe(
      Context.add(CustomerRepository, customerRepository),
      Context.add(MappingRepository, mappingRepository)
    ),
    /** Loads, in a few queries, what the batch's events will look up. */
    preload: (wanted: {
      readonly mappings: ReadonlyArray<ExternalKey>
      readonly contacts: ReadonlyArray<CustomerContact>
      /** Local reservations the events may name as their own, beside the mapped ones. */
      readonly reservationIds: ReadonlyArray<string>
    }) =>
      Effect.gen(function* () {
        yield* loadExternal(wanted.mappings)
        yield* loadContacts(wanted.contacts)
        const mapped = wanted.mappings.flatMap((k) => {
          const m = byExternal.get(externalKey(k))
          return k.entityType === "reservation" && m ? [m.entityId] : []
        })
        yield* reservations.repository.getMany([...mapped, ...wanted.reservationIds])
      }),
    /** Writes what the batch changed: customers, reservations, then their mappings. */
    flush: Effect.gen(function* () {
      yield* customers.flush
      yield* reservations.flush
      yield* realMappings.upsertMany(upserts)
    })
  }
})

export type UnitOfWork = Effect.Effect.Success<typeof makeUnitOfWork>
