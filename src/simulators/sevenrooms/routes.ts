import { Effect, Ref } from "effect"
import type { SimReply } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import { route } from "../kit/router.js"
import { book, cancel, coversTaken, replace, type Venue } from "./book.js"
import type { SimulatorCore } from "./core.js"
import { dataReply, fromEither, reject, type SevenRoomsRejected } from "./errors.js"
import { readBookingForm } from "./wire.js"

/** A request whose token has been checked: `clientId` is who it was issued to. */
export interface ApiRequest {
  readonly core: SimulatorCore
  readonly clientId: string
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly body: string
  readonly contentType: string
}

export type ApiHandler = (request: ApiRequest) => Effect.Effect<SimReply, SevenRoomsRejected>

const param = (r: ApiRequest, name: string) => r.params[name] ?? ""
const sees = (clientId: string) => (v: Venue) => v.config.clients.some((c) => c.clientId === clientId)
const visible = (r: ApiRequest) =>
  Effect.map(Ref.get(r.core.venues), (all) => [...all.values()].filter(sees(r.clientId)))

/** Concierge routes name the client's concierge id; another one is forbidden. */
const checkConcierge = (r: ApiRequest) =>
  Effect.flatMap(
    visible(r),
    (venues) =>
      venues.some((v) =>
          v.config.clients.some((c) => c.clientId === r.clientId && c.conciergeId === param(r, "concierge_id"))
        )
        ? Effect.void
        : reject(403, "Concierge not allowed")
  )

const venueFor = (r: ApiRequest) =>
  Effect.flatMap(visible(r), (venues) => {
    const found = venues.find((v) => v.config.id === param(r, "venue_id"))
    return found === undefined ? reject(404, "Venue not found") : Effect.succeed(found)
  })

const encodeCursor = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url")
const decodeCursor = (cursor: string | null) => {
  if (cursor === null) return 0
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"))
  return m === null ? -1 : Number(m[1])
}

/** `venue_group_id` required; `from_date`/`to_date` or `updated_since` (inclusive); `limit` ≤ 400; cursor paging. */
const listReservations: ApiHandler = (r) =>
  Effect.gen(function*() {
    const group = r.query.get("venue_group_id")
    const venueId = r.query.get("venue_id")
    const [from, to, since] = [r.query.get("from_date"), r.query.get("to_date"), r.query.get("updated_since")]
    const limit = Number(r.query.get("limit") ?? "100")
    const offset = decodeCursor(r.query.get("cursor"))
    if (group === null) return yield* reject(400, "venue_group_id is required")
    if (!Number.isInteger(limit) || limit < 1 || limit > 400) {
      return yield* reject(400, "limit must be between 1 and 400")
    }
    if (offset < 0) return yield* reject(400, "Invalid cursor")
    const sinceMs = since === null ? null : Date.parse(since)
    if ((from === null || to === null) && sinceMs === null) {
      return yield* reject(400, "from_date and to_date, or updated_since, are required")
    }
    if (sinceMs !== null && Number.isNaN(sinceMs)) {
      return yield* reject(400, "Invalid updated_since")
    }
    const venues = (yield* visible(r)).filter((v) =>
      v.config.venueGroupId === group && (venueId === null || v.config.id === venueId)
    )
    const matching = venues.flatMap((v) => [...v.reservations.values()])
      .filter((x) =>
        (from === null || to === null || (x.date >= from && x.date <= to)) &&
        (sinceMs === null || Date.parse(x.updated) >= sinceMs)
      )
      .sort((a, b) => a.updated.localeCompare(b.updated) || a.id.localeCompare(b.id))
    const results = matching.slice(offset, offset + limit)
    const next = offset + limit < matching.length ? { cursor: encodeCursor(offset + limit) } : {}
    return dataReply({ results, ...next })
  })

const bookReservation: ApiHandler = (r) =>
  Effect.gen(function*() {
    const venue = yield* venueFor(r)
    const fields = yield* fromEither(readBookingForm(r.contentType, r.body))
    const done = yield* r.core.apply(venue.config.id, "api", (v, now) => book(v, fields, now, r.clientId))
    return dataReply(done.reservation)
  })

const withReservation =
  (run: (r: ApiRequest, venue: Venue, id: string) => Effect.Effect<SimReply, SevenRoomsRejected>): ApiHandler => (r) =>
    Effect.gen(function*() {
      yield* checkConcierge(r)
      const id = param(r, "id")
      return yield* run(r, yield* r.core.venueOf(id, sees(r.clientId)), id)
    })

const getReservation = withReservation((_, venue, id) => Effect.succeed(dataReply(venue.reservations.get(id))))

const putReservation = withReservation((r, venue, id) =>
  Effect.flatMap(
    fromEither(readBookingForm(r.contentType, r.body)),
    (fields) =>
      Effect.map(r.core.apply(venue.config.id, "api", (v, now) => replace(v, id, fields, now)), (done) =>
        dataReply(done.reservation))
  )
)

const deleteReservation = withReservation((r, venue, id) =>
  Effect.map(
    r.core.apply(venue.config.id, "api", (v, now) => cancel(v, id, now)),
    (done) => dataReply(done.reservation)
  )
)

/** ASSUMPTION: availability by shift, each time with whether the party fits and the covers left. */
const availability: ApiHandler = (r) =>
  Effect.gen(function*() {
    yield* checkConcierge(r)
    const venue = yield* venueFor(r)
    const date = r.query.get("date") ?? ""
    const party = Number(r.query.get("party_size") ?? "2")
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return yield* reject(400, "Invalid date")
    if (!Number.isInteger(party) || party < 1) return yield* reject(400, "Invalid party size")
    return dataReply(venue.config.shifts.map((s) => ({
      shift_persistent_id: s.persistentId,
      shift_category: s.category,
      times: s.times.map((time) => {
        const left = Math.max(0, venue.config.coversPerSlot - coversTaken(venue, date, time))
        return {
          time,
          is_available: left >= party,
          remaining_covers: left,
          access_persistent_id: s.accessPersistentIds[0] ?? null
        }
      })
    })))
  })

const venues: ApiHandler = (r) =>
  Effect.map(
    visible(r),
    (all) =>
      dataReply({
        results: all.filter((v) => v.config.venueGroupId === r.query.get("venue_group_id")).map((v) => ({
          id: v.config.id,
          name: v.config.name,
          venue_group_id: v.config.venueGroupId
        }))
      })
  )

/*
 * Sources (sevenrooms.md, "Checked against public sources"): the reference at api-docs.sevenrooms.com
 * is gated, so each route names the public client or sample it follows. Any other method on these
 * paths is a 405.
 */
export const apiRoutes: ReadonlyArray<Route<ApiHandler>> = [
  // github.com/uptilab2/tap-sevenrooms (client.py, streams.py): venues of the group.
  route("GET", "/venues", venues),
  // github.com/uptilab2/tap-sevenrooms (client.py, schemas/reservations.json): `venue_group_id`, dates or `updated_since`, `limit` ≤ 400, `cursor`.
  route("GET", "/reservations", listReservations),
  // SevenRooms' own request sample (copied in github.com/nchimakurty/Wynn-Local Sample.py), and the
  // PHP and Ruby clients: `PUT`, form-urlencoded. `POST` is a 405.
  route("PUT", "/venues/{venue_id}/book", bookReservation),
  // ASSUMPTION: no public source shows the concierge read, update or cancel of one reservation
  // (sevenrooms.md); the update takes the book form.
  route("GET", "/concierge/{concierge_id}/reservations/{id}", getReservation),
  route("PUT", "/concierge/{concierge_id}/reservations/{id}", putReservation),
  route("DELETE", "/concierge/{concierge_id}/reservations/{id}", deleteReservation),
  // ASSUMPTION: the availability answer is not public (sevenrooms.md).
  route("GET", "/concierge/{concierge_id}/venues/{venue_id}/availability/dining", availability)
]
