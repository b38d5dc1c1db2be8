import { Context, type Effect } from "effect"
import type { CustomerContact, CustomerRepository, ReservationRepository } from "./entity-repository.js"
import type { ExternalKey, MappingRepository } from "./mapping-repository.js"

/** What a batch's events will look up, loaded before the first of them runs. */
export interface BatchLookups {
  readonly mappings: ReadonlyArray<ExternalKey>
  readonly contacts: ReadonlyArray<CustomerContact>
  /** Local reservations the events may name as their own, beside the mapped ones. */
  readonly reservationIds: ReadonlyArray<string>
}

/**
 * One inbound batch's work, inside the caller's transaction: its events read and write through
 * `repositories`, each seeing the writes of the events before it, and `flush` stores what they
 * changed at the end.
 */
export interface UnitOfWork {
  readonly repositories: Context.Context<ReservationRepository | CustomerRepository | MappingRepository>
  readonly preload: (lookups: BatchLookups) => Effect.Effect<void>
  /** Writes customers, reservations, then their mappings. */
  readonly flush: Effect.Effect<void>
}

export class UnitsOfWork extends Context.Tag("UnitsOfWork")<UnitsOfWork, {
  readonly begin: Effect.Effect<UnitOfWork>
}>() {}
