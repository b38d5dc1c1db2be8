/** The simulator's own restaurant-clock arithmetic (shares nothing with the connector). */

const wallClockOf = (epochMs: number, zone: string): number => {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit"
  }).formatToParts(new Date(epochMs))
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"))
}

/** The instant at which the restaurant's clock shows `date` `hh:mm` (the first one, across a DST change). */
export const instantOf = (date: string, hhmm: string, zone: string): number => {
  const wall = Date.parse(`${date}T${hhmm}:00Z`)
  const guess = wall - (wallClockOf(wall, zone) - wall)
  return guess - (wallClockOf(guess, zone) - wall)
}

export const isDate = (text: string | null): text is string =>
  text !== null && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 24 * 3600 * 1000).toISOString().slice(0, 10)
