import { HttpApiBuilder, HttpApiSwagger, HttpServer, HttpServerRequest } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Layer, Option } from "effect"
import { createServer } from "node:http"
import { SyncApi } from "./api.js"
import { ErrorResponsesLive } from "./error-responses.js"
import { BackfillLive } from "./handlers/backfill.js"
import { HealthLive } from "./handlers/health.js"
import { PlatformConfigsLive } from "./handlers/platform-configs.js"
import { ResourcesLive } from "./handlers/resources.js"
import { SyncOpsLive } from "./handlers/sync-ops.js"
import { VoiceAiLive } from "./handlers/voice-ai.js"
import { WebhooksLive } from "./handlers/webhooks.js"
import { OpsLive } from "./ops/routes.js"
import { observeRequests } from "../observability/http-requests.js"

export const ApiGroupsLive = Layer.mergeAll(HealthLive, ResourcesLive, PlatformConfigsLive, SyncOpsLive, WebhooksLive, VoiceAiLive, BackfillLive)

export interface HttpServerOptions {
  readonly port: number
  readonly host: string
  readonly maxBodyBytes: number
}

/** The API on whatever HttpServer is provided, with OpenAPI at /openapi.json and docs at /docs. */
export const HttpAppLive = (options: { readonly maxBodyBytes: number }) =>
  HttpApiBuilder.serve((app) =>
    // observeRequests replaces HttpMiddleware.logger: it logs URLs without their secret tokens.
    HttpServerRequest.withMaxBodySize(app, Option.some(options.maxBodyBytes)).pipe(observeRequests)
  ).pipe(
    Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
    Layer.provide(OpsLive),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
    Layer.provide(ErrorResponsesLive),
    Layer.provide(HttpApiBuilder.api(SyncApi).pipe(Layer.provide(ApiGroupsLive)))
  )

export const NodeServerLive = (options: { readonly port: number; readonly host: string }) =>
  NodeHttpServer.layer(createServer, { port: options.port, host: options.host })

export const HttpLive = (options: HttpServerOptions) =>
  HttpAppLive(options).pipe(HttpServer.withLogAddress, Layer.provide(NodeServerLive(options)))
