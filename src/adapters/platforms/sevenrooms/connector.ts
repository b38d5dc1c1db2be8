import { Clock, Effect, Option, Redacted, Schema } from "effect"
import type { WebhookEvent } from "../../../domain/dtos.js"
import { trustedEncoderSync } from "../../../domain/trusted-encode.js"
import type {
  PlatformConnector,
  ReservationCapability,
  ReservationRecord
} from "../../../ports/connector-capabilities.js"
import { type ConnectorError, PlatformPermanentError } from "../../../ports/connector-errors.js"
import type { ConnectorConfig } from "../../../ports/platform-module.js"
import { tokenAuth } from "../shared/auth.js"
import { connectorKit, sha256 } from "../shared/connector-kit.js"
import { classifyStatus } from "../shared/http-policy.js"
import { arrayOf } from "../shared/json-body.js"
import { toLocalDate } from "../shared/local-time.js"
import { makeFormTokenCache } from "../shared/oauth-token.js"
import { errorDetailOf, formBody, makePlatformHttp, type PlatformRequest } from "../shared/platform-http.js"
import * as M from "./mapper.js"
import {
  envelope,
  SevenRoomsAuth,
  type SevenRoomsBookingForm,
  SevenRoomsCredentials,
  SevenRoomsErrorBody,
  SevenRoomsReservation,
  SevenRoomsReservationPage,
  SevenRoomsShiftAvailability
} from "./types.js"
import { reservationEvent } from "./webhooks.js"

// A record just decoded from the platform's answer: its fields are encoded as they are (trusted-encode.ts).
const encodeReservation = trustedEncoderSync(SevenRoomsReservation)

const platform = "sevenrooms" as const
const { invalid, orInvalid, decodeCredentials } = connectorKit(platform, SevenRoomsCredentials)

/** `msg` of the `{status, msg}` envelope, shortened: human text such as "Invalid party size". */
const errorMessage = errorDetailOf(SevenRoomsErrorBody, (e) => e.msg?.slice(0, 120) || undefined)

const DAY = 24 * 3600 * 1000
/** Documented maximum page size. */
const PAGE_SIZE = 400
/** Public clients report about 24 h; used when the expiry is missing or unreadable. */
const DEFAULT_LIFETIME_MS = 23 * 3600 * 1000

export const makeSevenRoomsConnector = (config: ConnectorConfig) =>
  Effect.gen(function*() {
    const c = yield* decodeCredentials(config.credentials)
    if (c.venueId !== config.externalRestaurantId) {
      return yield* invalid("the config's external restaurant id is not the credentials' venueId")
    }
    const zone = c.timezone
    const base = c.baseUrl.replace(/\/+$/, "")
    // `POST /auth` (form) answers a ~24 h token; the API wants it raw in Authorization, no Bearer.
    const tokens = yield* makeFormTokenCache({
      platform,
      url: `${base}/auth`,
      form: { client_id: c.clientId, client_secret: Redacted.value(c.clientSecret) },
      response: SevenRoomsAuth,
      toToken: (r, now) => {
        const expiry = Date.parse(r.data.token_expiration_datetime ?? "")
        return {
          token: Redacted.make(r.data.token),
          expiresAt: Number.isNaN(expiry) ? now + DEFAULT_LIFETIME_MS : expiry
        }
      }
    })
    const http = yield* makePlatformHttp({
      platform,
      baseUrl: base,
      auth: tokenAuth(tokens, (token) => token),
      rateLimitBy: c.clientId,
      errorDetail: errorMessage
    })
    const { createOnce } = http
    const seg = encodeURIComponent

    /** The envelope's own status counts as much as HTTP's: an error may arrive with HTTP 200. */
    const call = <A, I>(r: PlatformRequest, data: Schema.Schema<A, I>): Effect.Effect<A, ConnectorError> =>
      Effect.flatMap(http.send(r), (text) => http.decode(`${r.method} ${r.path}`, envelope(data), text)).pipe(
        Effect.flatMap((e) =>
          e.status >= 400
            ? Effect.fail(classifyStatus(platform, e.status, `${r.method} ${r.path}`))
            : e.data === undefined
            ? Effect.fail(invalid(`${r.method} ${r.path}: no data in the answer`))
            : Effect.succeed(e.data)
        )
      )

    const concierge = (id: string) => `/concierge/${seg(c.conciergeId)}/reservations/${seg(id)}`
    const read = (id: string) => call({ method: "GET", path: concierge(id), idempotent: true }, SevenRoomsReservation)
    const result = (r: SevenRoomsReservation) => ({
      externalId: r.id,
      raw: encodeReservation(r)
    })
    const record = (r: SevenRoomsReservation): Effect.Effect<ReservationRecord, ConnectorError> =>
      Effect.map(
        orInvalid(`reservation ${r.id}`, M.toReservation(r, zone)),
        (reservation) => ({ externalId: r.id, reservation, updatedAt: r.updated ?? undefined })
      )

    /** Every page of `GET /reservations` for the venue, cursor after cursor. */
    const list = (query: Readonly<Record<string, string>>) => {
      const from = (
        cursor: string | undefined,
        acc: ReadonlyArray<SevenRoomsReservation>
      ): Effect.Effect<ReadonlyArray<SevenRoomsReservation>, ConnectorError> =>
        Effect.flatMap(
          call({
            method: "GET",
            path: "/reservations",
            query: { venue_group_id: c.venueGroupId, venue_id: c.venueId, limit: PAGE_SIZE, ...query, cursor },
            idempotent: true
          }, SevenRoomsReservationPage),
          (page) => {
            const all = [...acc, ...page.results]
            return page.cursor === undefined || page.cursor === null || page.cursor === "" || page.results.length === 0
              ? Effect.succeed(all)
              : from(page.cursor, all)
          }
        )
      return from(undefined, [])
    }

    const ours = (localId: string) => (rs: ReadonlyArray<SevenRoomsReservation>) =>
      Option.fromNullable(rs.find((r) => r.external_id === M.externalIdOf(localId)))

    // No lookup by external_id is known: a recent-changes window is listed and filtered.
    const findByReference: ReservationCapability["findByReference"] = (localId) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((now) => list({ updated_since: new Date(now - c.referenceLookbackDays * DAY).toISOString() })),
        Effect.map((rs) => Option.map(ours(localId)(rs), (r) => ({ externalId: r.id })))
      )

    const findForCreate = (localId: string, date: string) =>
      Effect.map(list({ from_date: date, to_date: date }), (rs) => Option.map(ours(localId)(rs), result))

    // Public clients and SevenRooms' own request sample book with PUT, form-urlencoded (sevenrooms.md).
    const book = (form: SevenRoomsBookingForm) =>
      Effect.map(
        call(
          { method: "PUT", path: `/venues/${seg(c.venueId)}/book`, body: formBody(form), idempotent: false },
          SevenRoomsReservation
        ),
        result
      )

    const create: ReservationCapability["create"] = (dto) =>
      Effect.flatMap(orInvalid("reservation", M.toBookingForm(dto, zone)), (form) => {
        const ref = dto.externalReferenceId
        return ref === undefined ? book(form) : createOnce(findForCreate(ref, String(form["date"])), book(form))
      })

    // PUT carries the whole booking: the current one overlaid with ours, right whether it merges or replaces.
    const update: ReservationCapability["update"] = (id, dto) =>
      Effect.gen(function*() {
        const form = yield* orInvalid("reservation", M.toUpdateForm(yield* read(id), dto, zone))
        return result(
          yield* call(
            { method: "PUT", path: concierge(id), body: formBody(form), idempotent: true },
            SevenRoomsReservation
          )
        )
      })

    const cancel: ReservationCapability["cancel"] = (id) =>
      Effect.asVoid(call({ method: "DELETE", path: concierge(id), idempotent: true }, Schema.Unknown))

    // the same events a webhook would carry; the id names the record's state, so a re-poll dedupes.
    const recentChanges = (sinceMinutes: number) =>
      !Number.isInteger(sinceMinutes) || sinceMinutes < 1
        ? Effect.fail(invalid(`sinceMinutes must be a positive integer, got ${sinceMinutes}`))
        : Clock.currentTimeMillis.pipe(
          Effect.flatMap((now) => list({ updated_since: new Date(now - sinceMinutes * 60_000).toISOString() })),
          Effect.flatMap((rs) =>
            Effect.forEach(rs, (r): Effect.Effect<WebhookEvent, PlatformPermanentError> =>
              orInvalid(
                `reservation ${r.id}`,
                reservationEvent({
                  reservation: r,
                  eventType: M.reservationStatusOf(r) === "cancelled" ? "reservation.cancelled" : "reservation.updated",
                  eventId: `sevenrooms:poll:${r.id}:${
                    sha256(JSON.stringify(Schema.encodeSync(SevenRoomsReservation)(r))).slice(0, 24)
                  }`,
                  venueId: c.venueId,
                  timezone: zone,
                  rawPayload: Schema.encodeSync(SevenRoomsReservation)(r)
                })
              ))
          )
        )

    const availability = (date: string, partySize: number) =>
      !/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isInteger(partySize) || partySize < 1
        ? Effect.fail(invalid("availability needs a YYYY-MM-DD date and a positive party size"))
        : call({
          method: "GET",
          path: `/concierge/${seg(c.conciergeId)}/venues/${seg(c.venueId)}/availability/dining`,
          query: { date, party_size: partySize },
          idempotent: true
        }, arrayOf(SevenRoomsShiftAvailability)).pipe(
          Effect.map((shifts) => M.toAvailabilitySlots(shifts, date, zone, partySize))
        )

    const authenticate = () =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const today = toLocalDate(now, zone)
        return call({
          method: "GET",
          path: "/reservations",
          query: { venue_group_id: c.venueGroupId, venue_id: c.venueId, from_date: today, to_date: today, limit: 1 },
          idempotent: true
        }, SevenRoomsReservationPage)
      }).pipe(Effect.asVoid)

    const connector: PlatformConnector = {
      platform,
      authenticate,
      availability,
      reservations: { create, findByReference, get: (id) => Effect.flatMap(read(id), record), update, cancel },
      polling: { recentChanges }
    }
    return connector
  })
