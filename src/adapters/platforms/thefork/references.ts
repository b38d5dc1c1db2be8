import { Effect, Option, Ref } from "effect"
import type { ConnectorError } from "../../../ports/platform-connector.js"
import type { AuthorizedHttp } from "../authorized-http.js"
import { referenceOf } from "./mapper.js"
import { type TheForkReservation, TheForkReservationPage } from "./types.js"

/**
 * Finding the booking that carries our reservation id. TheFork has no external-reference
 * field and no search: our id rides in the internal note, and the list endpoint answers UUIDs only
 * for a date range. So a lookup lists a narrow window and reads the bookings it has not read yet;
 * what each carries is remembered (a note's reference never changes), so later lookups only read
 * new bookings.
 */

export interface ReferenceWindow {
  readonly filterBy: "updatedDate" | "mealDate"
  /** YYYY-MM-DD, inclusive. ASSUMPTION: TheFork compares UTC dates, so callers widen by a day. */
  readonly startDate: string
  readonly endDate: string
}

const PAGE_SIZE = 1000
const READS_AT_ONCE = 4

export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const DAY = 24 * 3600 * 1000

export const windowAround = (iso: string): ReferenceWindow => {
  const at = Date.parse(iso)
  return { filterBy: "mealDate", startDate: utcDate(at - DAY), endDate: utcDate(at + DAY) }
}

export const recentlyUpdated = (nowMs: number, days: number): ReferenceWindow => ({
  filterBy: "updatedDate",
  startDate: utcDate(nowMs - days * DAY),
  endDate: utcDate(nowMs + DAY)
})

export const makeReferenceIndex = (
  http: AuthorizedHttp,
  restaurantUuid: string,
  read: (uuid: string) => Effect.Effect<TheForkReservation, ConnectorError>
) =>
  Effect.gen(function* () {
    /** Reservation uuid → our id in its note (null: not ours). */
    const seen = yield* Ref.make(new Map<string, string | null>())

    const remember = (uuid: string, reference: string | null) => Ref.update(seen, (m) => new Map(m).set(uuid, reference))

    const page = (window: ReferenceWindow, n: number) =>
      http.call({
        method: "GET",
        path: "/v1/reservations",
        query: { restaurantUuid, startDate: window.startDate, endDate: window.endDate, filterBy: window.filterBy, limit: PAGE_SIZE, page: n },
        idempotent: true
      }, TheForkReservationPage)

    const learn = (uuids: ReadonlyArray<string>) =>
      Effect.flatMap(Ref.get(seen), (known) =>
        Effect.forEach(uuids.filter((u) => !known.has(u)), (uuid) =>
          Effect.flatMap(read(uuid), (r) => remember(uuid, referenceOf(r.restaurantNote) ?? null)), { concurrency: READS_AT_ONCE, discard: true }))

    const match = (uuids: ReadonlyArray<string>, localId: string) =>
      Effect.map(Ref.get(seen), (known) => Option.fromNullable(uuids.find((u) => known.get(u) === localId)))

    const knownFor = (localId: string) =>
      Effect.map(Ref.get(seen), (known) => Option.fromNullable([...known].find(([, ref]) => ref === localId)?.[0]))

    /** The reservation carrying `localId`: known already, or found in `window`, page by page. */
    const find = (localId: string, window: ReferenceWindow): Effect.Effect<Option.Option<string>, ConnectorError> =>
      Effect.flatMap(knownFor(localId), (known) => {
        if (Option.isSome(known)) return Effect.succeed(known)
        const from = (n: number): Effect.Effect<Option.Option<string>, ConnectorError> =>
          Effect.gen(function* () {
            const current = yield* page(window, n)
            yield* learn(current.data)
            const hit = yield* match(current.data, localId)
            if (Option.isSome(hit) || current.data.length === 0 || n * current.limit >= current.totalCount) return hit
            return yield* from(n + 1)
          })
        return from(1)
      })

    return { find, remember }
  })
