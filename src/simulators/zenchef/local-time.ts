/**
 * Restaurant-local date-times as Formitable writes them: `2025-06-07T19:30:00`, no offset.
 * Arithmetic treats them as UTC wall-clock values, which is exact for local-to-local sums.
 */
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/

const wallClockMs = (localDateTime: string) => Date.parse(`${localDateTime}Z`)

export const isLocalDateTime = (text: string): boolean => {
  const match = LOCAL_DATE_TIME.exec(text)
  if (match === null) return false
  const ms = wallClockMs(normalizeLocalDateTime(text))
  return Number.isFinite(ms) && formatWallClock(ms) === normalizeLocalDateTime(text)
}

export const isLocalDate = (text: string): boolean =>
  LOCAL_DATE.test(text) && Number.isFinite(Date.parse(`${text}T00:00:00Z`)) &&
  new Date(`${text}T00:00:00Z`).toISOString().startsWith(text)

/** Adds the seconds when the caller sent `HH:mm`. */
export const normalizeLocalDateTime = (text: string): string => (text.length === 16 ? `${text}:00` : text)

const formatWallClock = (ms: number) => new Date(ms).toISOString().slice(0, 19)

/** Minutes since the epoch of a local date-time's wall clock: only meaningful for comparisons and sums. */
export const toWallMinutes = (localDateTime: string): number =>
  Math.floor(wallClockMs(normalizeLocalDateTime(localDateTime)) / 60_000)

export const fromWallMinutes = (minutes: number): string => formatWallClock(minutes * 60_000)

export const dateOf = (localDateTime: string): string => localDateTime.slice(0, 10)

/** `date` at `minutes` after midnight (shifts use minutes from midnight). */
export const atMinutes = (date: string, minutes: number): string =>
  fromWallMinutes(toWallMinutes(`${date}T00:00:00`) + minutes)

export const addDays = (date: string, days: number): string =>
  dateOf(fromWallMinutes(toWallMinutes(`${date}T00:00:00`) + days * 24 * 60))

/** One formatter per time zone: building an `Intl.DateTimeFormat` costs far more than using one. */
const wallClockFormats = new Map<string, Intl.DateTimeFormat>()

const wallClockFormat = (timeZone: string) => {
  let format = wallClockFormats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23"
    })
    wallClockFormats.set(timeZone, format)
  }
  return format
}

/** The restaurant's wall clock at `epochMs`, in its IANA time zone. */
export const localNow = (timeZone: string, epochMs: number): string => {
  const parts = wallClockFormat(timeZone).formatToParts(new Date(epochMs))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00"
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}:${part("second")}`
}

export const isTimeZone = (timeZone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone })
    return true
  } catch {
    return false
  }
}
