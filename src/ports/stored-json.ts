/** What a jsonb column gives back: JSON values only, SQL NULL for nothing (adapters without a database mimic it). */
export const asStoredJson = (value: unknown): unknown =>
  value === undefined || value === null ? null : JSON.parse(JSON.stringify(value))
