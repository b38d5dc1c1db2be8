import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect, Option } from "effect"
import { DatabaseHealth } from "../../../ports/database-health.js"
import { SyncStatus } from "../../../ports/sync-status.js"
import { HealthDegraded } from "../../errors.js"
import { SyncApi } from "../api.js"

export const HealthLive = HttpApiBuilder.group(
  SyncApi,
  "health",
  (handlers) =>
    Effect.map(
      Effect.zip(DatabaseHealth, SyncStatus),
      ([database, sync]) =>
        handlers.handle("health", () =>
          database.ping.pipe(
            Effect.timeout("2 seconds"),
            Effect.mapError(() =>
              new HealthDegraded({ status: "degraded", database: "down", message: "database unreachable" })
            ),
            Effect.zipRight(sync.down),
            Effect.flatMap(Option.match({
              onNone: () => Effect.succeed({ status: "ok" as const, database: "up" as const }),
              onSome: (reason) =>
                Effect.fail(
                  new HealthDegraded({
                    status: "degraded",
                    database: "up",
                    sync: "down",
                    message: `sync thread down: ${reason}`
                  })
                )
            }))
          ))
    )
)
