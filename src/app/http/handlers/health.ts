import { HttpApiBuilder } from "@effect/platform"
import { SyncApi } from "../api.js"
import { healthCheck } from "../health.js"

export const HealthLive = HttpApiBuilder.group(SyncApi, "health", (handlers) => handlers.handle("health", () => healthCheck))
