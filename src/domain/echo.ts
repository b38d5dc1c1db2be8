import type { ReservationSyncDTO } from "./dtos.js"
import { sameValue, tagKey } from "./normalize.js"

const instantFields = new Set(["reservationTime"])
const tagFields = new Set(["allergies", "dietaryRestrictions"])

const sameField = (field: string, pushed: unknown, remote: unknown) => {
  if (instantFields.has(field) && typeof pushed === "string" && typeof remote === "string") {
    return Date.parse(pushed) === Date.parse(remote)
  }
  if (tagFields.has(field) && Array.isArray(pushed) && Array.isArray(remote)) {
    const keys = (tags: ReadonlyArray<unknown>) => tags.map((t) => tagKey(String(t))).sort()
    return sameValue(keys(pushed), keys(remote))
  }
  return sameValue(pushed, remote)
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
