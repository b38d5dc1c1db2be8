import { Effect, Layer } from "effect"
import { DatabaseHealth } from "../../ports/database-health.js"

/** Memory is always there. */
export const DatabaseHealthMemory = Layer.succeed(DatabaseHealth, DatabaseHealth.of({ ping: Effect.void }))
