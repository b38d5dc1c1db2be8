import type { Platform } from "./ids.js"
import type { Master } from "./mastering.js"
import { definedFields, normalizeTags, sameValue, tagKey } from "./normalize.js"

/** Any record whose fields can conflict; allergies get the safety rule of R-7.3. */
export type ConflictFields = { readonly [field: string]: unknown; readonly allergies?: ReadonlyArray<string> }

export interface ConflictResolution<A> {
  readonly merged: A
  readonly winner: "remote" | "local"
  /** The fields whose merged value differs from the local one: what must be written locally. */
  readonly changedFields: ReadonlyArray<keyof A & string>
  /** The sentence stored in the sync log's conflict_resolution. */
  readonly description: string
}

/** Union in first-seen order, one entry per allergy however it is spelled or spaced. */
export const unionAllergies = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): ReadonlyArray<string> =>
  normalizeTags([...a, ...b])

const missingFrom = (tags: ReadonlyArray<string>, other: ReadonlyArray<string>): ReadonlyArray<string> => {
  const keys = new Set(other.map(tagKey))
  return tags.filter((tag) => !keys.has(tagKey(tag)))
}

/**
 * R-7.3. The platform that is master wins on every field it defines (undefined never erases a
 * local value; null does). Otherwise local wins. Either way a known allergy is never dropped: the
 * result carries the union of both sides, because losing one is a guest-safety failure.
 */
export const resolveConflict = <A extends ConflictFields>(input: {
  readonly local: A
  readonly remote: Partial<A>
  readonly platform: Platform
  readonly master: Master
}): ConflictResolution<A> => {
  const { local, master, platform } = input
  const remote = definedFields(input.remote)
  const winner = master === platform ? "remote" : "local"
  const localAllergies = local.allergies ?? []
  const remoteAllergies = remote.allergies ?? []
  const hasAllergies = local.allergies !== undefined || remote.allergies !== undefined
  const merged = {
    ...local,
    ...(winner === "remote" ? remote : {}),
    ...(hasAllergies ? { allergies: unionAllergies(localAllergies, remoteAllergies) } : {})
  } as A
  const changedFields = Object.keys(merged).filter((field) => !sameValue(merged[field], local[field])) as Array<
    keyof A & string
  >
  const overruled = Object.keys(remote).filter(
    (field) => field !== "allergies" && !sameValue(remote[field], merged[field])
  )
  const description = describe({
    master,
    platform,
    winner,
    fields: winner === "remote" ? changedFields.filter((field) => field !== "allergies") : overruled,
    added: missingFrom(merged.allergies ?? [], localAllergies),
    // A remote master that omits a local allergy is worth saying: we kept it anyway.
    kept: winner === "remote" && remote.allergies !== undefined ? missingFrom(localAllergies, remoteAllergies) : []
  })
  return { merged, winner, changedFields, description }
}

const describe = (r: {
  readonly master: Master
  readonly platform: Platform
  readonly winner: "remote" | "local"
  readonly fields: ReadonlyArray<string>
  readonly added: ReadonlyArray<string>
  readonly kept: ReadonlyArray<string>
}): string => {
  const who = r.master === "self" || r.master === r.platform
    ? `${r.master} is master`
    : `${r.master} is master, not ${r.platform}`
  const what = r.winner === "remote"
    ? r.fields.length > 0 ? `took remote ${r.fields.join(", ")}` : "no remote change"
    : r.fields.length > 0
    ? `kept local ${r.fields.join(", ")}`
    : "no conflicting field"
  const allergies = [...r.added.map((a) => `+${a}`), ...r.kept.map((k) => `kept ${k}`)]
  return `${who}: ${what}${allergies.length > 0 ? `; took allergy union (${allergies.join(", ")})` : ""}`
}
