import {
  HttpApiBuilder,
  HttpApiSwagger,
  type HttpApp,
  HttpServer,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer, Option } from "effect"
import { observeRequests } from "../observability/http-requests.js"
import { SyncApi } from "./api.js"
import { ErrorResponsesLive } from "./error-responses.js"
import { ApiKeysLive } from "./handlers/api-keys.js"
import { BackfillLive } from "./handlers/backfill.js"
import { ChangesLive } from "./handlers/changes.js"
import { HealthLive } from "./handlers/health.js"
import { PlatformConfigsLive } from "./handlers/platform-configs.js"
import { ResourcesLive } from "./handlers/resources.js"
import { RestaurantsLive } from "./handlers/restaurants.js"
import { SyncOpsLive } from "./handlers/sync-ops.js"
import { VoiceAiLive } from "./handlers/voice-ai.js"
import { WebhooksLive } from "./handlers/webhooks.js"
import { AuthenticationLive } from "./middleware/authentication.js"
import { DocsGuardLive } from "./middleware/docs-guard.js"
import { OpsLive } from "./ops/routes.js"
import { defaultServerLimits, IngressServer, makeWebhookIngress, type ServerLimits } from "./webhook-ingress.js"

const ApiGroupsLive = Layer.mergeAll(
  HealthLive,
  ResourcesLive,
  RestaurantsLive,
  PlatformConfigsLive,
  SyncOpsLive,
  WebhooksLive,
  VoiceAiLive,
  BackfillLive,
  ApiKeysLive,
  ChangesLive
)

interface HttpServerOptions {
  readonly port: number
  readonly host: string
  readonly maxBodyBytes: number
  /** Issue 18: timeouts and the connection cap; the defaults of the HTTP_* settings when absent. */
  readonly limits?: Partial<ServerLimits> | undefined
}

/** The API on whatever HttpServer is provided, with OpenAPI at /openapi.json and docs at /docs. */
const refuse = (status: number, _tag: string, message: string) =>
  HttpServerResponse.json({ _tag, message }, { status }).pipe(Effect.orDie)

/**
 * Bodies the API never takes are answered before they are read: one announced larger than the
 * limit gets a JSON 413 (the platform's own limit only drops the connection), and multipart gets
 * 415 (the API speaks JSON; a malformed multipart body would otherwise crash its parser).
 */
const guardBodies = <E, R>(maxBodyBytes: number, app: HttpApp.Default<E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const announced = Number(request.headers["content-length"] ?? "0")
    if (Number.isFinite(announced) && announced > maxBodyBytes) {
      return refuse(413, "PayloadTooLarge", `the request body is larger than ${maxBodyBytes} bytes`)
    }
    if ((request.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/")) {
      return refuse(415, "UnsupportedMediaType", "send JSON (application/json)")
    }
    return app
  })

export const HttpAppLive = (options: { readonly maxBodyBytes: number }) =>
  HttpApiBuilder.serve((app) =>
    // observeRequests replaces HttpMiddleware.logger: it logs URLs without their secret tokens.
    guardBodies(options.maxBodyBytes, HttpServerRequest.withMaxBodySize(app, Option.some(options.maxBodyBytes))).pipe(
      observeRequests
    )
  ).pipe(
    Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
    Layer.provide(OpsLive),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
    Layer.provide(ErrorResponsesLive),
    Layer.provide(DocsGuardLive),
    Layer.provide(HttpApiBuilder.api(SyncApi).pipe(Layer.provide(ApiGroupsLive), Layer.provide(AuthenticationLive)))
  )

/** The node server, webhook deliveries taken first by the ingress (see `makeWebhookIngress`). */
export const NodeServerLive = (options: HttpServerOptions) =>
  Layer.unwrapEffect(Effect.map(
    makeWebhookIngress(options.maxBodyBytes),
    (ingress) =>
      NodeHttpServer.layer(() => new IngressServer(ingress, { ...defaultServerLimits, ...options.limits }), {
        port: options.port,
        host: options.host
      })
  ))

export const HttpLive = (options: HttpServerOptions) =>
  HttpAppLive(options).pipe(HttpServer.withLogAddress, Layer.provide(NodeServerLive(options)))
