import { Clock, Context, Effect, FiberRef, Layer, Option } from "effect"
import { updateAction } from "../domain/changes.js"
import { type Contact, contactMatchKeys, customersByContact } from "../domain/customer-contact.js"
import type { Customer } from "../domain/entities.js"
import { refKey } from "../domain/id-resolution.js"
import type { EntityType, Platform } from "../domain/ids.js"
import { newEntity, patchedEntity, type StoredEntity } from "../domain/versioning.js"
import { ChangeLog, changeOf, type ChangeRecord, currentChangeOrigin } from "../ports/change-feed.js"
import {
  type CustomerContact,
  type CustomerRepo,
  CustomerRepository,
  EntityNotFound,
  type EntityRepository,
  type ReservationRepo,
  ReservationRepository
} from "../ports/entity-repository.js"
import {
  type ExternalKey,
  type ExternalMapping,
  MappingRepository,
  type MappingUpsert,
  upsertedMapping
} from "../ports/mapping-repository.js"
import { type BatchLookups, type UnitOfWork, UnitsOfWork } from "../ports/unit-of-work.js"

/**
 * The batched unit of work, a decorator over the repository ports: reads come from rows loaded in
 * a few set-based queries up front (a miss is loaded on demand), writes are kept and flushed at the
 * end through the ports' batch writes, a handful of statements for the whole batch. New and
 * patched rows are built by the same rules as the repositories' own (R-2.4 versioning). Each write
 * is noted for the change log as it happens (issue 21): its origin then is the event's, and a
 * record written twice in a batch has an entry per version, all appended in one statement.
 */

const externalKey = (k: ExternalKey) => `${k.restaurantId}|${k.platform}|${k.entityType}|${k.externalId}`
const localKey = (entityType: EntityType, entityId: string, platform: Platform) =>
  `${entityType}|${entityId}|${platform}`
const contactKeys = (restaurantId: string, contact: Contact) => {
  const { email, phone } = contactMatchKeys(contact)
  return [
    ...(phone === null ? [] : [`${restaurantId}|phone|${phone}`]),
    ...(email === null ? [] : [`${restaurantId}|email|${email}`])
  ]
}

const unavailable = (operation: string) => Effect.dieMessage(`${operation} is not available inside an inbound batch`)
const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/** Entity rows of one table: known rows, rows to insert, patches of existing rows, in order. */
const entityBuffer = <A extends StoredEntity & { readonly restaurantId: string }, C extends object, P extends object>(
  real: EntityRepository<A, C, P>,
  versioned: boolean,
  changes: Array<ChangeRecord>,
  onRemember: (row: A) => void = () => {}
) => {
  const note = (action: Parameters<typeof changeOf>[1], row: A) =>
    Effect.map(
      FiberRef.get(currentChangeOrigin),
      (origin) => void changes.push(changeOf(real.entityType, action, origin, row))
    )
  const known = new Map<string, A>()
  const inserts = new Map<string, A>()
  const patches: Array<{ readonly id: string; readonly patch: P }> = []
  const remember = (row: A) => {
    known.set(row.id, row)
    onRemember(row)
  }
  const getMany = (ids: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const missing = [...new Set(ids.filter((id) => !known.has(id)))]
      if (missing.length > 0) { for (const row of yield* real.getMany(missing)) remember(row) }
      return ids.flatMap((id) => known.get(id) ?? [])
    })
  const get = (id: string) =>
    Effect.flatMap(
      getMany([id]),
      ([row]) =>
        row === undefined ? Effect.fail(new EntityNotFound({ entityType: real.entityType, id })) : Effect.succeed(row)
    )
  const repository: EntityRepository<A, C, P> = {
    entityType: real.entityType,
    get,
    getMany,
    ownedIds: (restaurantId, ids) =>
      Effect.map(getMany(ids), (rows) => rows.filter((row) => row.restaurantId === restaurantId).map((row) => row.id)),
    create: (input, options) =>
      options?.queuePush === true ? unavailable("a write queueing its push") : Effect.flatMap(nowIso, (now) => {
        const row = newEntity<A>(input, crypto.randomUUID(), now, versioned)
        remember(row)
        inserts.set(row.id, row)
        return Effect.as(note("create", row), row)
      }),
    // The batch applies platform events, which say what the platform did: no client's version to hold to.
    updateAtVersion: () => unavailable("a write at a client's version"),
    update: (id, patch, _within, options) =>
      options?.queuePush === true ? unavailable("a write queueing its push") : Effect.gen(function*() {
        const { changes: changed, entity } = patchedEntity(yield* get(id), patch, yield* nowIso, versioned)
        if (changed === undefined) return entity
        remember(entity)
        // A row born in this batch is inserted as it ends up; an existing one gets its patches.
        if (inserts.has(id)) inserts.set(id, entity)
        else patches.push({ id, patch: changed })
        yield* note(updateAction(changed), entity)
        return entity
      }),
    createReferencing: () => unavailable("createReferencing"),
    list: () => unavailable("list"),
    remove: () => unavailable("remove"),
    insertMany: () => unavailable("insertMany"),
    updateMany: () => unavailable("updateMany")
  }
  const flush = Effect.suspend(() => Effect.zipRight(real.insertMany([...inserts.values()]), real.updateMany(patches)))
  return { repository, known, inserts, remember, flush }
}

/** Customers by contact key, so a look-up costs the same in a batch of 10 or of 1,000. */
const customerBuffer = (real: CustomerRepo, changes: Array<ChangeRecord>) => {
  // A key stays after its customer's contact changes: candidates are checked again on reading.
  const idsByContact = new Map<string, Set<string>>()
  const indexContacts = (row: Customer) => {
    for (const key of contactKeys(row.restaurantId, row)) {
      const ids = idsByContact.get(key)
      if (ids === undefined) idsByContact.set(key, new Set([row.id]))
      else ids.add(row.id)
    }
  }
  const customers = entityBuffer(real, false, changes, indexContacts)
  const covered = new Set<string>()
  const known = (contact: CustomerContact) => {
    const candidates = new Set<string>()
    for (const key of contactKeys(contact.restaurantId, contact)) {
      for (const id of idsByContact.get(key) ?? []) candidates.add(id)
    }
    return [...candidates].flatMap((id) => customers.known.get(id) ?? [])
  }
  const load = (contacts: ReadonlyArray<CustomerContact>) =>
    Effect.gen(function*() {
      const missing = contacts.filter((c) => contactKeys(c.restaurantId, c).some((k) => !covered.has(k)))
      if (missing.length === 0) return
      for (const c of missing) for (const k of contactKeys(c.restaurantId, c)) covered.add(k)
      for (const row of yield* real.findManyByContact(missing)) {
        if (!customers.known.has(row.id)) customers.remember(row)
      }
    })
  const repository: CustomerRepo = {
    ...customers.repository,
    findByContact: (restaurantId, contact) =>
      Effect.map(
        load([{ restaurantId, ...contact }]),
        () => customersByContact(known({ restaurantId, ...contact }), restaurantId, contact)
      ),
    findManyByContact: () => unavailable("findManyByContact")
  }
  return { ...customers, repository, load }
}

/** Mappings by external and by local key; upserts kept in order, the last of one record winning. */
const mappingBuffer = (
  real: MappingRepository["Type"],
  bornHere: (entityType: EntityType, entityId: string) => boolean
) => {
  const byExternal = new Map<string, ExternalMapping | null>()
  const byEntity = new Map<string, ExternalMapping | null>()
  const upserts: Array<MappingUpsert> = []
  const remember = (m: ExternalMapping) => {
    byExternal.set(externalKey(m), m)
    byEntity.set(localKey(m.entityType, m.entityId, m.platform), m)
  }
  const load = (keys: ReadonlyArray<ExternalKey>) =>
    Effect.gen(function*() {
      const missing = keys.filter((k) => !byExternal.has(externalKey(k)))
      if (missing.length === 0) return
      for (const k of missing) byExternal.set(externalKey(k), null)
      for (const m of yield* real.findManyByExternal(missing)) remember(m)
    })
  const findByEntity = (entityType: EntityType, entityId: string, platform: Platform) =>
    Effect.gen(function*() {
      const key = localKey(entityType, entityId, platform)
      // A record born in this batch has no mapping yet: no need to ask.
      if (!byEntity.has(key) && !bornHere(entityType, entityId)) {
        const found = yield* real.findByEntity(entityType, entityId, platform)
        if (Option.isSome(found)) remember(found.value)
        else byEntity.set(key, null)
      }
      return Option.fromNullable(byEntity.get(key))
    })
  const repository = MappingRepository.of({
    ...real,
    findByExternal: (restaurantId, platform, entityType, externalId) =>
      Effect.map(
        load([{ restaurantId, platform, entityType, externalId }]),
        () => Option.fromNullable(byExternal.get(externalKey({ restaurantId, platform, entityType, externalId })))
      ),
    findByEntity,
    localIdsOf: (restaurantId, platform, refs) =>
      Effect.map(load(refs.map((r) => ({ restaurantId, platform, ...r }))), () => {
        const found = new Map<string, string>()
        for (const r of refs) {
          const m = byExternal.get(externalKey({ restaurantId, platform, ...r }))
          if (m) found.set(refKey(r.entityType, r.externalId), m.entityId)
        }
        return found
      }),
    upsert: (mapping) =>
      Effect.gen(function*() {
        const current = Option.getOrUndefined(
          yield* findByEntity(mapping.entityType, mapping.entityId, mapping.platform)
        )
        const next = upsertedMapping(current, mapping, yield* nowIso)
        if (current !== undefined && current.externalId !== next.externalId) byExternal.set(externalKey(current), null)
        remember(next)
        upserts.push(mapping)
        return next
      }),
    upsertMany: () => unavailable("upsertMany"),
    removeForEntity: () => unavailable("removeForEntity"),
    list: () => unavailable("list")
  })
  const mapped = (keys: ReadonlyArray<ExternalKey>) =>
    keys.flatMap((k) => {
      const m = byExternal.get(externalKey(k))
      return k.entityType === "reservation" && m ? [m.entityId] : []
    })
  return { repository, load, mapped, flush: Effect.suspend(() => real.upsertMany(upserts)) }
}

/** A unit of work over these repositories; every event of the batch sees the writes of those before it. */
export const makeUnitOfWork = (real: {
  readonly reservations: ReservationRepo
  readonly customers: CustomerRepo
  readonly mappings: MappingRepository["Type"]
  readonly changeLog: ChangeLog["Type"]
}): UnitOfWork => {
  // In the order the events wrote them, customers and reservations alike.
  const changes: Array<ChangeRecord> = []
  const reservations = entityBuffer(real.reservations, true, changes)
  const customers = customerBuffer(real.customers, changes)
  const mappings = mappingBuffer(
    real.mappings,
    (entityType, entityId) =>
      (entityType === "reservation" && reservations.inserts.has(entityId)) ||
      (entityType === "customer" && customers.inserts.has(entityId))
  )
  const reservationRepository: ReservationRepo = {
    ...reservations.repository,
    listBetween: () => unavailable("listBetween"),
    listLinkedTo: () => unavailable("listLinkedTo"),
    listAtTable: () => unavailable("listAtTable")
  }
  return {
    repositories: Context.make(ReservationRepository, reservationRepository).pipe(
      Context.add(CustomerRepository, customers.repository),
      Context.add(MappingRepository, mappings.repository)
    ),
    preload: (lookups: BatchLookups) =>
      Effect.gen(function*() {
        yield* mappings.load(lookups.mappings)
        yield* customers.load(lookups.contacts)
        yield* reservations.repository.getMany([...mappings.mapped(lookups.mappings), ...lookups.reservationIds])
      }),
    flush: Effect.gen(function*() {
      yield* customers.flush
      yield* reservations.flush
      yield* mappings.flush
      yield* real.changeLog.append(changes)
    })
  }
}

/** Units of work over whichever reservation, customer and mapping repositories are provided. */
export const UnitsOfWorkBatched = Layer.effect(
  UnitsOfWork,
  Effect.gen(function*() {
    const real = {
      reservations: yield* ReservationRepository,
      customers: yield* CustomerRepository,
      mappings: yield* MappingRepository,
      changeLog: yield* ChangeLog
    }
    return { begin: Effect.sync(() => makeUnitOfWork(real)) }
  })
)
