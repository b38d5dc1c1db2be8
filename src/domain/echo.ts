import type { ReservationSyncDTO } from "./dtos.js"
import { sameValue, tagKey } from "./normalize.js"

const instantFields = new Set(["reservationTime"])
const tagFields = new Set(["allergies", "dietaryRestrictions"])

/** The finest unit of time a platform keeps for a booking's start (Zenchef: seconds, SevenRooms: minutes). */
export type InstantPrecision = "millisecond" | "second" | "minute"

const unitMs: Record<InstantPrecision, number> = { millisecond: 1, second: 1_000, minute: 60_000 }

/** Two instants that the platform, keeping only `precision`, would hold as one. */
const sameInstant = (a: string, b: string, precision: InstantPrecision) =>
  Math.floor(Date.parse(a) / unitMs[precision]) === Math.floor(Date.parse(b) / unitMs[precision])

/**
 * Whether two values of one reservation field say the same thing: instants compare as instants
 * whatever their spelling (and to the precision the platform keeps), tags as sets whatever their
 * case or order, and a missing value is null.
 */
export const sameField = (
  field: string,
  a: unknown,
  b: unknown,
  precision: InstantPrecision = "millisecond"
): boolean => {
  if (instantFields.has(field) && typeof a === "string" && typeof b === "string") {
    return sameInstant(a, b, precision)
  }
  if (tagFields.has(field) && Array.isArray(a) && Array.isArray(b)) {
    const keys = (tags: ReadonlyArray<unknown>) => tags.map((t) => tagKey(String(t))).sort()
    return sameValue(keys(a), keys(b))
  }
  return sameValue(a ?? null, b ?? null)
}

/**
 * a platform event that says back what we last pushed is our own echo. Fields the platform
 * does not carry (undefined on its side) or fills in by itself (absent from what we pushed, like
 * an automatic table placement) do not make it a change; nor does a time the platform keeps less
 * finely than we pushed it (a booking at 19:00:00.123 comes back from Zenchef at 19:00:00).
 */
export const isEchoOfPush = (
  pushed: ReservationSyncDTO,
  remote: ReservationSyncDTO,
  precision: InstantPrecision = "millisecond"
): boolean =>
  Object.entries(pushed).every(([field, value]) => {
    const theirs = (remote as Record<string, unknown>)[field]
    return value === undefined || theirs === undefined || sameField(field, value, theirs, precision)
  })

/** One of our pushes of a booking, as the audit log keeps it: what we said, and when the push began. */
export interface PastPush {
  readonly pushed: ReservationSyncDTO
  readonly startedAt: number
}

/**
 * R-6.8, R-6.9: an event that says back an earlier push of ours and happened before the next one
 * began is that earlier push's echo, arriving after the next push (a create's echo delivered once
 * the update that followed had left): the next push has since replaced it on the platform. Taken
 * as a change, it would be a conflict and push the booking back. An event that happened after the
 * next push began is someone on the platform saying those values again: a change. `pushes` runs
 * oldest first; `occurredAt` and the pushes' times are epoch milliseconds.
 */
export const isLateEchoOfPush = (
  pushes: ReadonlyArray<PastPush>,
  remote: ReservationSyncDTO,
  occurredAt: number,
  precision: InstantPrecision = "millisecond"
): boolean =>
  pushes.some((push, i) => {
    const next = pushes[i + 1]
    return next !== undefined && occurredAt < next.startedAt && isEchoOfPush(push.pushed, remote, precision)
  })
