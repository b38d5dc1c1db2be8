import { Option, Schema } from "effect"

/**
 * Restaurant-local calendar and clock. Services are written in wall-clock time while
 * reservations are instants; the conversion goes through Intl so DST is the zone's own.
 */

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

// Building an Intl formatter is costly and zones are checked on every delivery: the answer is
// remembered (it never changes for a given name).
const knownZones = new Map<string, boolean>()

/** Intl throws on an unknown zone, so the edge checks it once. */
export const isValidTimeZone = (timeZone: string): boolean => {
  const known = knownZones.get(timeZone)
  if (known !== undefined) return known
  let valid = true
  try {
    new Intl.DateTimeFormat("en-US", { timeZone })
  } catch {
    valid = false
  }
  if (knownZones.size < 1_000) knownZones.set(timeZone, valid)
  return valid
}

/** Restaurants are in France unless their settings say otherwise. */
export const DEFAULT_TIMEZONE = "Europe/Paris"

/**
 * Intl takes a zone's name in any case ("europe/paris") and every later comparison would not: the
 * name is kept as the zone database spells it. Only the case: an alias keeps its own name ("EST").
 */
const canonicalNames = new Map<string, string>()
const canonicalCase = (timeZone: string) => {
  let name = canonicalNames.get(timeZone)
  if (name === undefined) {
    const canonical = new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone
    name = canonical.toLowerCase() === timeZone.toLowerCase() ? canonical : timeZone
    if (canonicalNames.size < 1_000) canonicalNames.set(timeZone, name)
  }
  return name
}

export const TimeZone = Schema.transform(
  Schema.String.pipe(
    Schema.filter(isValidTimeZone, { message: () => "must be an IANA time zone such as Europe/Paris" })
  ),
  Schema.String,
  { strict: true, decode: canonicalCase, encode: (timeZone) => timeZone }
)

const formatters = new Map<string, Intl.DateTimeFormat>()
/** One formatter per zone (building one costs far more than using it): the wall clock, 24 h, to the second. */
export const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit"
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

const pad = (n: number) => String(n).padStart(2, "0")

/** "HH:MM" → minutes since midnight. */
export const toMinutes = (time: string): number => {
  const [h = "0", m = "0"] = time.split(":")
  return Number(h) * 60 + Number(m)
}

/** Minutes since midnight → "HH:MM" (wrapping past midnight). */
export const formatMinutes = (minutes: number): string => {
  const m = ((minutes % 1440) + 1440) % 1440
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`
}

const dateParts = (date: string): [number, number, number] => {
  const [y = "1970", m = "1", d = "1"] = date.split("-")
  return [Number(y), Number(m) - 1, Number(d)]
}

/** The Gregorian calendar repeats itself every 400 years, 146,097 days. */
const GREGORIAN_CYCLE_MS = 146_097 * DAY_MS

/**
 * `Date.UTC` for every year: `Date.UTC` itself reads the years 0 to 99 as 1900 to 1999, so those
 * are counted 400 years on and brought back, which keeps every leap day where it was.
 */
const utcMs = (year: number, monthIndex: number, day: number, hours = 0, minutes = 0, seconds = 0): number =>
  year >= 0 && year < 100
    ? Date.UTC(year + 400, monthIndex, day, hours, minutes, seconds) - GREGORIAN_CYCLE_MS
    : Date.UTC(year, monthIndex, day, hours, minutes, seconds)

/**
 * The instants this service keeps: those whose UTC date has four digits, as an ISO string and
 * PostgreSQL both write them. `9999-12-31T23:00:00-05:00` is in year 10,000 in UTC: stored, it
 * would be read back as `+010000-01-01T04:00:00.000Z`, which no reader of the API expects.
 */
export const FIRST_INSTANT_MS = utcMs(1, 0, 1)
export const LAST_INSTANT_MS = utcMs(10_000, 0, 1) - 1
export const isKeptInstant = (ms: number): boolean => ms >= FIRST_INSTANT_MS && ms <= LAST_INSTANT_MS

// The month's length is counted here: `Date.UTC` would need the year mapping above.
const daysInMonth = (year: number, monthIndex: number) =>
  monthIndex === 1
    ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28)
    : [3, 5, 8, 10].includes(monthIndex)
    ? 30
    : 31

/**
 * Whether a text starting `YYYY-MM-DD` names a day of the calendar. `Date.parse` takes
 * `2026-02-30` for the 2nd of March: a caller's slip would be booked on another day, or refused
 * by PostgreSQL with no word of which field. Year 0 does not exist there either.
 */
export const isCalendarDate = (text: string): boolean => {
  const [year, monthIndex, day] = dateParts(text.slice(0, 10))
  return year >= 1 && monthIndex >= 0 && monthIndex <= 11 && day >= 1 && day <= daysInMonth(year, monthIndex)
}

const formatUtcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

export const addDays = (date: string, days: number): string => {
  const [y, m, d] = dateParts(date)
  return formatUtcDate(utcMs(y, m, d + days))
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday, as DiningService.dayOfWeek. */
export const isoWeekday = (date: string): number => {
  const [y, m, d] = dateParts(date)
  const day = new Date(utcMs(y, m, d)).getUTCDay()
  return day === 0 ? 7 : day
}

/** The wall clock of the restaurant at an instant. */
export const instantToLocal = (instant: Date, timeZone: string): { readonly date: string; readonly time: string } => {
  const wall = wallClockMs(instant.getTime(), timeZone)
  return { date: formatUtcDate(wall), time: new Date(wall).toISOString().slice(11, 16) }
}

/** The wall clock read as if it were UTC, to the second. */
const wallClockMs = (ms: number, timeZone: string): number => {
  const parts: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) parts[part.type] = Number(part.value)
  const { day = 1, hour = 0, minute = 0, month = 1, second = 0, year = 1970 } = parts
  return utcMs(year, month - 1, day, hour % 24, minute, second)
}

const offsetAt = (ms: number, timeZone: string): number => wallClockMs(ms, timeZone) - Math.floor(ms / 1000) * 1000

/**
 * The instant at which the restaurant's clock shows `time` on `date` (`time` may pass 24:00 for a
 * service running after midnight). None inside a spring-forward gap, since that time never
 * shows; the earlier of the two on a fall-back night, as the first one to come.
 */
export const localToInstant = (date: string, time: string | number, timeZone: string): Option.Option<Date> => {
  const [y, m, d] = dateParts(date)
  const wall = utcMs(y, m, d) + (typeof time === "number" ? time : toMinutes(time)) * MINUTE_MS
  const candidates = [offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone)]
    .map((offset) => wall - offset)
    .filter((ms) => wallClockMs(ms, timeZone) === wall)
    .sort((a, b) => a - b)
  return candidates.length === 0 ? Option.none() : Option.some(new Date(candidates[0]!))
}
