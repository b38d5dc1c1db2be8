import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { DatabaseHealth } from "../../../ports/database-health.js"
import { HealthDegraded } from "../../errors.js"
import { SyncApi } from "../api.js"

export const HealthLive = HttpApiBuilder.group(
  SyncApi,
  "health",
  (handlers) =>
    Effect.map(DatabaseHealth, (database) =>
      handlers.handle("health", () =>
        database.ping.pipe(
          Effect.timeout("2 seconds"),
          Effect.as({ status: "ok" as const, database: "up" as const }),
          Effect.mapError(() =>
            new HealthDegraded({ status: "degraded", database: "down", message: "database unreachable" })
          )
        )))
)
