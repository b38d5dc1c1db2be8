import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { ConnectorRegistry } from "../../../ports/connector-registry.js"
import { CredentialCipher } from "../../../ports/credential-cipher.js"
import { PlatformConfigRepository } from "../../../ports/platform-config-repository.js"
import { SyncJobQueue } from "../../../ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../ports/sync-log-repository.js"
import { receiveWebhook } from "../../sync/webhook-intake.js"
import { SyncApi } from "../api.js"
import { inboundRequest, toHttpError } from "../webhook-delivery.js"

export const WebhooksLive = HttpApiBuilder.group(SyncApi, "webhooks", (handlers) =>
  Effect.gen(function*() {
    const context = yield* Effect.context<
      ConnectorRegistry | PlatformConfigRepository | SyncJobQueue | SyncLogRepository | CredentialCipher
    >()
    return handlers.handleRaw("receive", ({ path, request }) =>
      Effect.gen(function*() {
        // The raw text is what the platform signed: it is read before any JSON parsing.
        const rawBody = yield* request.text.pipe(Effect.orElseSucceed(() => ""))
        const result = yield* receiveWebhook(path.platform, inboundRequest(request.headers, request.url, rawBody)).pipe(
          Effect.provide(context)
        )
        return yield* HttpServerResponse.json(result).pipe(Effect.orDie)
      }).pipe(
        Effect.catchTag("DeliveryRejected", (e) => Effect.fail(toHttpError(e, path.platform)))
      ))
  }))
