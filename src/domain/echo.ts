import type { ReservationSyncDTO } from "./dtos.js"
import { sameValue, tagKey } from "./normalize.js"

const instantFields = new Set(["reservationTime"])
const tagFields = new Set(["allergies", "dietaryRestrictions"])

/**
 * Whether two values of one reservation field say the same thing: instants compare as instants
 * whatever their spelling, tags as sets whatever their case or order, and a missing value is null.
 */
export const sameField = (field: string, a: unknown, b: unknown): boolean => {
  if (instantFields.has(field) && typeof a === "string" && typeof b === "string") {
    return Date.parse(a) === Date.parse(b)
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
 * an automatic table placement) do not make it a change.
 */
export const isEchoOfPush = (pushed: ReservationSyncDTO, remote: ReservationSyncDTO): boolean =>
  Object.entries(pushed).every(([field, value]) => {
    const theirs = (remote as Record<string, unknown>)[field]
    return value === undefined || theirs === undefined || sameField(field, value, theirs)
  })
