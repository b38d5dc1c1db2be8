import { Clock, Effect, Layer, Option, Ref } from "effect"
import { type ApiKey, ApiKeyRepository } from "../../ports/api-keys.js"

interface Stored {
  readonly key: ApiKey
  readonly hash: string
}

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/** The same keys in a Map held in a Ref: insertion order is creation order. */
export const ApiKeyRepositoryMemory = Layer.effect(
  ApiKeyRepository,
  Effect.map(Ref.make(new Map<string, Stored>()), (store) => {
    const find = (predicate: (row: Stored) => boolean) =>
      Effect.map(Ref.get(store), (rows) => Option.fromNullable([...rows.values()].find(predicate)?.key))
    const change = (id: string, f: (key: ApiKey) => ApiKey) =>
      Ref.modify(store, (rows) => {
        const row = rows.get(id)
        if (row === undefined) return [Option.none<ApiKey>(), rows]
        const key = f(row.key)
        return [Option.some(key), new Map(rows).set(id, { ...row, key })]
      })
    return ApiKeyRepository.of({
      create: (write) =>
        Effect.gen(function*() {
          const now = yield* nowIso
          const key: ApiKey = {
            id: write.id,
            name: write.name,
            role: write.role,
            restaurants: write.restaurants,
            prefix: write.prefix,
            createdAt: now,
            lastUsedAt: null,
            revokedAt: null
          }
          yield* Ref.update(store, (rows) => new Map(rows).set(key.id, { key, hash: write.hash }))
          return key
        }),
      findByHash: (hash) => find((row) => row.hash === hash),
      get: (id) => find((row) => row.key.id === id),
      list: () => Effect.map(Ref.get(store), (rows) => [...rows.values()].map((row) => row.key)),
      revoke: (id) =>
        Effect.flatMap(nowIso, (now) => change(id, (key) => ({ ...key, revokedAt: key.revokedAt ?? now }))),
      touch: (id) => Effect.flatMap(nowIso, (now) => Effect.asVoid(change(id, (key) => ({ ...key, lastUsedAt: now })))),
      countActive: () =>
        Effect.map(Ref.get(store), (rows) => [...rows.values()].filter((row) => row.key.revokedAt === null).length)
    })
  })
)
