import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpMethod from "@effect/platform/HttpMethod"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Layer, Option } from "effect"
import { observeRequests } from "../observability/http-requests.js"
import { SyncApi } from "./api.js"
import { isJson } from "./content-type.js"
import { DocsPageLive } from "./docs-page.js"
import { ErrorResponsesLive } from "./error-responses.js"
import { ApiKeysLive } from "./handlers/api-keys.js"
import { AuditLive } from "./handlers/audit.js"
import { BackfillLive } from "./handlers/backfill.js"
import { ChangesLive } from "./handlers/changes.js"
import { HealthLive } from "./handlers/health.js"
import { PlatformConfigsLive } from "./handlers/platform-configs.js"
import { ResourcesLive } from "./handlers/resources.js"
import { RestaurantsLive } from "./handlers/restaurants.js"
import { SyncOpsLive } from "./handlers/sync-ops.js"
import { VoiceAiLive } from "./handlers/voice-ai.js"
import { WebhooksLive } from "./handlers/webhooks.js"
import { listenError } from "./listen-error.js"
import { AuthenticationLive } from "./middleware/authentication.js"
import { DocsGuardLive } from "./middleware/docs-guard.js"
import { OpsLive, type OpsOptions } from "./ops/routes.js"
import { crossSiteWithSession } from "./ops/session-cookie.js"
import { makeResourceWriteIngress } from "./resource-write-ingress.js"
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
  AuditLive,
  ChangesLive
)

interface HttpServerOptions extends OpsOptions {
  readonly port: number
  readonly host: string
  readonly maxBodyBytes: number
  /** Issue 18: timeouts and the connection cap; the defaults of the HTTP_* settings when absent. */
  readonly limits?: Partial<ServerLimits> | undefined
  /** How many resource writes run at once, the others waiting their turn: the database pool's size. */
  readonly writeConcurrency: number
}

const hasBody = (method: string) => HttpMethod.hasBody(method as HttpMethod.HttpMethod)

const refuse = (status: number, _tag: string, message: string) =>
  HttpServerResponse.json({ _tag, message }, { status }).pipe(Effect.orDie)

/** The platforms' deliveries keep the content types each platform sends. */
const isWebhook = (url: string) => url.startsWith("/api/webhooks/")

/**
 * Bodies the API never takes are answered before they are read: one announced larger than the
 * limit gets a JSON 413 (the platform's own limit only drops the connection), and multipart gets
 * 415 (the API speaks JSON; a malformed multipart body would otherwise crash its parser). Issue 17:
 * the JSON routes take JSON only, so no "simple" cross-site request (a form, multipart or
 * text/plain, sent without a preflight) reaches them; and a state-changing request carrying the
 * operator page's cookie must come from this site.
 */
const guardBodies = <E, R>(maxBodyBytes: number, app: HttpApp.Default<E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const announced = Number(request.headers["content-length"] ?? "0")
    if (Number.isFinite(announced) && announced > maxBodyBytes) {
      return refuse(413, "PayloadTooLarge", `the request body is larger than ${maxBodyBytes} bytes`)
    }
    const contentType = (request.headers["content-type"] ?? "").trim().toLowerCase()
    if (contentType.startsWith("multipart/")) {
      return refuse(415, "UnsupportedMediaType", "send JSON (application/json)")
    }
    if (crossSiteWithSession(request)) {
      return refuse(403, "Forbidden", "a request with the operator session must come from this site (Origin)")
    }
    if (contentType !== "" && !isJson(contentType) && !isWebhook(request.url) && hasBody(request.method)) {
      return refuse(415, "UnsupportedMediaType", "send JSON (application/json)")
    }
    return app
  })

/** The API on whatever HttpServer is provided, with OpenAPI at /openapi.json and docs at /docs. */
export const HttpAppLive = (options: { readonly maxBodyBytes: number } & OpsOptions) =>
  HttpApiBuilder.serve((app) =>
    // observeRequests replaces HttpMiddleware.logger: it logs URLs without their secret tokens.
    guardBodies(options.maxBodyBytes, HttpServerRequest.withMaxBodySize(app, Option.some(options.maxBodyBytes))).pipe(
      observeRequests
    )
  ).pipe(
    Layer.provide(DocsPageLive),
    Layer.provide(OpsLive(options)),
    Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
    Layer.provide(ErrorResponsesLive),
    Layer.provide(DocsGuardLive),
    Layer.provide(HttpApiBuilder.api(SyncApi).pipe(Layer.provide(ApiGroupsLive), Layer.provide(AuthenticationLive)))
  )

/**
 * The node server, resource writes and webhook deliveries taken first by the ingress (see
 * `makeResourceWriteIngress` and `makeWebhookIngress`).
 */
export const NodeServerLive = (options: HttpServerOptions) =>
  Layer.unwrapEffect(Effect.map(
    Effect.flatMap(makeResourceWriteIngress(options.writeConcurrency), (writes) =>
      makeWebhookIngress(options.maxBodyBytes, [writes])),
    (ingress) =>
      NodeHttpServer.layer(() =>
        new IngressServer(ingress, { ...defaultServerLimits, ...options.limits }), {
        port: options.port,
        host: options.host
      })
  )).pipe(
    Layer.mapError((e) => e._tag === "ServeError" ? listenError(e, options.host, options.port) : e),
    Layer.tapError((e) => e._tag === "ListenError" ? Effect.logError(e.message) : Effect.void)
  )

export const HttpLive = (options: HttpServerOptions) =>
  HttpAppLive(options).pipe(HttpServer.withLogAddress, Layer.provide(NodeServerLive(options)))
