import { Option } from "effect"
import { formatterFor, isCalendarDate } from "../../../domain/local-time.js"

/**
 * Wall-clock times of a restaurant (platforms that speak local time without an offset) against
 * our instants. Intl knows the IANA rules, so no timezone library is needed.
 */

export { isValidTimeZone as isTimeZone } from "../../../domain/local-time.js"

const QUARTER_HOUR = 15 * 60 * 1000

const offsetAt = (epochMs: number, zone: string): number => {
  const parts: Record<string, number> = {}
  for (const p of formatterFor(zone).formatToParts(new Date(epochMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value)
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) -
    Math.floor(epochMs / 1000) * 1000
}

// Offsets change only at transitions, which fall on quarter hours of UTC: one Intl call per zone
// and quarter hour instead of four per conversion (Intl showed up as a hot spot under load).
const offsets = new Map<string, number>()
const cachedOffset = (epochMs: number, zone: string): number => {
  const quarter = Math.floor(epochMs / QUARTER_HOUR) * QUARTER_HOUR
  const key = `${zone}|${quarter}`
  let offset = offsets.get(key)
  if (offset === undefined) {
    if (offsets.size >= 100_000) offsets.clear()
    offset = offsetAt(quarter, zone)
    offsets.set(key, offset)
  }
  return offset
}

/** Milliseconds of the wall clock in `zone` at `epochMs` (whole seconds), read as if it were UTC. */
const wallClockMs = (epochMs: number, zone: string): number =>
  Math.floor(epochMs / 1000) * 1000 + cachedOffset(epochMs, zone)

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** `YYYY-MM-DDTHH:mm:ss` as the restaurant's clock shows the instant. */
export const toLocalDateTime = (epochMs: number, zone: string): string => {
  const d = new Date(wallClockMs(Math.floor(epochMs / 1000) * 1000, zone))
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${
    pad(d.getUTCMinutes())
  }:${pad(d.getUTCSeconds())}`
}

export const toLocalDate = (epochMs: number, zone: string): string => toLocalDateTime(epochMs, zone).slice(0, 10)

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/
const withOffset = /(Z|[+-]\d{2}:?\d{2})$/

/**
 * The instant a restaurant-local date-time denotes. A time that happens twice (autumn) is the
 * first; a time skipped by the spring change moves forward by the gap, as Temporal's
 * "compatible" disambiguation does. A value that already carries an offset is taken as is. A day
 * or a time of day that does not exist (the 30th of February, 25:00) is none, not the day or hour
 * that `Date` would roll it over to.
 */
export const fromLocalDateTime = (local: string, zone: string): Option.Option<number> => {
  if (!isCalendarDate(local)) return Option.none()
  if (withOffset.test(local)) {
    const ms = Date.parse(local)
    return Number.isNaN(ms) ? Option.none() : Option.some(ms)
  }
  const m = localPattern.exec(local)
  if (m === null) return Option.none()
  const [, y, mo, d, h, mi, s] = m
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return Option.none()
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0))
  if (Number.isNaN(asUtc)) return Option.none()
  const day = 24 * 3600 * 1000
  const offsetBefore = wallClockMs(asUtc - day, zone) - (asUtc - day)
  const offsetAfter = wallClockMs(asUtc + day, zone) - (asUtc + day)
  const candidates = [asUtc - offsetBefore, asUtc - offsetAfter]
    .filter((t) => wallClockMs(t, zone) === asUtc)
    .sort((a, b) => a - b)
  return Option.some(candidates[0] ?? asUtc - offsetBefore)
}

export const toIsoInstant = (epochMs: number): string => new Date(epochMs).toISOString()
