import { Clock, Effect, Layer, Option, Ref } from "effect"
import { type OpsSession, OpsSessionRepository } from "../../ports/ops-sessions.js"

/** Sessions of one process, for the memory layer (a single instance has nothing to share). */
export const OpsSessionRepositoryMemory = Layer.effect(
  OpsSessionRepository,
  Effect.map(Ref.make(new Map<string, OpsSession>()), (store) =>
    OpsSessionRepository.of({
      create: (session) =>
        Effect.flatMap(Clock.currentTimeMillis, (ms) =>
          Ref.update(store, (sessions) => {
            const now = new Date(ms).toISOString()
            const kept = [...sessions].filter(([, s]) => s.expiresAt > now)
            return new Map(kept).set(session.idHash, session)
          })),
      find: (idHash, now) =>
        Effect.map(
          Ref.get(store),
          (sessions) => Option.filter(Option.fromNullable(sessions.get(idHash)), (s) => s.expiresAt > now)
        ),
      remove: (idHash) =>
        Ref.update(store, (sessions) => {
          const next = new Map(sessions)
          next.delete(idHash)
          return next
        })
    }))
)
