import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Effect, Schema } from "effect"
import { databaseIsUp } from "../../adapters/sql/database.js"

export const Health = Schema.Struct({
  status: Schema.Literal("ok", "degraded"),
  database: Schema.Literal("up", "down")
})

export class HealthDegraded extends Schema.TaggedError<HealthDegraded>()(
  "HealthDegraded",
  { status: Schema.Literal("degraded"), database: Schema.Literal("down"), message: Schema.String },
  HttpApiSchema.annotations({ status: 503 })
) {}

export const HealthApi = HttpApiGroup.make("health").add(
  HttpApiEndpoint.get("health", "/health").addSuccess(Health).addError(HealthDegraded)
)

export const healthCheck = databaseIsUp.pipe(
  Effect.timeout("2 seconds"),
  Effect.as({ status: "ok" as const, database: "up" as const }),
  Effect.mapError(() => new HealthDegraded({ status: "degraded", database: "down", message: "database unreachable" }))
)
