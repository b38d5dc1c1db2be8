import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { HealthDegraded } from "../errors.js"

const Health = Schema.Struct({
  status: Schema.Literal("ok", "degraded"),
  database: Schema.Literal("up", "down")
})

export const HealthApi = HttpApiGroup.make("health").add(
  HttpApiEndpoint.get("health", "/health").addSuccess(Health).addError(HealthDegraded)
)
