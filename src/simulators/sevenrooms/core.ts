import { Clock, Effect, type Either, Ref } from "effect"
import type { IssuedToken, IssuedTokens } from "../kit/issued-tokens.js"
import type { CoreParts, CorePartsOptions } from "../kit/tenant-core.js"
import { changeTenant, findTenant, makeCoreParts } from "../kit/tenant-core.js"
import type { Change, Venue } from "./book.js"
import { rejection, type SevenRoomsRejected } from "./errors.js"
import { emitReservationEvent } from "./webhooks.js"

export interface RequestCounters {
  readonly requestsByRoute: Readonly<Record<string, number>>
  /** `POST /auth` calls, granted or not. */
  readonly tokenRequests: number
  readonly unauthorized: number
  readonly rateLimited: number
  readonly failuresInjected: number
  readonly responsesDropped: number
}

export const noRequests: RequestCounters = {
  requestsByRoute: {},
  tokenRequests: 0,
  unauthorized: 0,
  rateLimited: 0,
  failuresInjected: 0,
  responsesDropped: 0
}

export interface SimulatorMode {
  /** Whether changes made through the API raise webhooks (staff changes always do). */
  readonly apiChangesEmitWebhooks: boolean
  /** About 24 h at SevenRooms; tests shorten it to see tokens expire. */
  readonly tokenLifetimeSeconds: number
}

export type ChangeOrigin = "api" | "staff"

export interface SimulatorCore extends CoreParts<SimulatorMode, RequestCounters> {
  readonly venues: Ref.Ref<ReadonlyMap<string, Venue>>
  readonly tokens: IssuedTokens
  readonly apply: (
    venueId: string,
    origin: ChangeOrigin,
    change: (venue: Venue, nowIso: string) => Either.Either<Change, SevenRoomsRejected>
  ) => Effect.Effect<Change, SevenRoomsRejected>
  /** The venue holding reservation `id`, among those `canSee`. */
  readonly venueOf: (id: string, canSee: (v: Venue) => boolean) => Effect.Effect<Venue, SevenRoomsRejected>
}

export type CoreOptions = CorePartsOptions<SimulatorMode>

export const makeSimulatorCore = (options: CoreOptions) =>
  Effect.gen(function*() {
    const venues = yield* Ref.make<ReadonlyMap<string, Venue>>(new Map())
    const tokens = yield* Ref.make<ReadonlyMap<string, IssuedToken>>(new Map())
    const parts = yield* makeCoreParts(options, noRequests)

    const apply: SimulatorCore["apply"] = (venueId, origin, change) =>
      Effect.gen(function*() {
        const nowIso = new Date(yield* Clock.currentTimeMillis).toISOString()
        const done = yield* changeTenant(venues, venueId, () => rejection(404, "Venue not found"), (venue) =>
          change(venue, nowIso), (c) =>
          c.venue)
        const { apiChangesEmitWebhooks } = yield* Ref.get(parts.mode)
        if (done.event !== null && (origin === "staff" || apiChangesEmitWebhooks)) {
          yield* emitReservationEvent(parts.webhooks, done.venue.config, done.event, done.reservation)
        }
        return done
      })

    const venueOf: SimulatorCore["venueOf"] = (id, canSee) =>
      findTenant(venues, (v) => canSee(v) && v.reservations.has(id), () => rejection(404, "Reservation not found"))

    const core: SimulatorCore = { ...parts, venues, tokens, apply, venueOf }
    return core
  })
