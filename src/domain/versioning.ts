import { definedFields } from "./normalize.js"

/** Versioned entities (reservation, order) count their changes in `version`. */
export interface StoredEntity {
  readonly id: string
  readonly version?: number
}

/** A new entity as stored: its id, its timestamps and, if versioned, version 1. */
export const newEntity = <A extends StoredEntity>(input: object, id: string, now: string, versioned: boolean): A =>
  ({ ...input, id, createdAt: now, updatedAt: now, ...(versioned ? { version: 1 } : {}) }) as unknown as A

/**
 * An entity after a patch, and the changes it took. An undefined field is not part of a patch
 * ("not said" never reads as "cleared"); a patch that says nothing changes nothing, so neither
 * the time nor the version moves; any other counts as one change of a versioned entity.
 */
export const patchedEntity = <A extends StoredEntity, P extends object>(
  current: A,
  patch: P,
  now: string,
  versioned: boolean
): { readonly entity: A; readonly changes: P | undefined } => {
  const changes = definedFields(patch)
  if (Object.keys(changes).length === 0) return { entity: current, changes: undefined }
  const entity = {
    ...current,
    ...changes,
    updatedAt: now,
    ...(versioned ? { version: (current.version ?? 0) + 1 } : {})
  } as A
  return { entity, changes }
}
