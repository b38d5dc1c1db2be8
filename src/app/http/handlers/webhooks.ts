import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Effect, Schema } from "effect"
import { ConnectorRegistry } from "../../../adapters/platforms/registry.js"
import { CredentialCipher } from "../../../ports/credential-cipher.js"
import { PlatformConfigRepository } from "../../../ports/platform-config-repository.js"
import { SyncJobQueue } from "../../../ports/sync-job-queue.js"
import { SyncLogRepository } from "../../../ports/sync-log-repository.js"
import { type DeliveryRejected, receiveWebhook } from "../../sync/webhook-intake.js"
import { SyncApi } from "../api.js"
import { NotFound, Unauthorized, ValidationError } from "../errors.js"

const lowerCaseHeaders = (headers: Readonly<Record<string, string | undefined>>) =>
  Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), v]])))

/** What a rejected delivery answers: the errors the API definition declares for the route. */
export const HttpRejection = Schema.Union(Unauthorized, NotFound, ValidationError)

export const toHttpError = (e: DeliveryRejected, platform: string): Unauthorized | NotFound | ValidationError =>
  e.status === 401
    ? new Unauthorized({ message: e.message })
    : e.status === 404
    ? new NotFound({ message: e.message, resource: "platform", id: platform })
    : new ValidationError({ message: e.message, issues: [] })

export const WebhooksLive = HttpApiBuilder.group(SyncApi, "webhooks", (handlers) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<
      ConnectorRegistry | PlatformConfigRepository | SyncJobQueue | SyncLogRepository | CredentialCipher
    >()
    return handlers.handleRaw("receive", ({ path, request }) =>
      Effect.gen(function* () {
        // The raw text is what the platform signed: it is read before any JSON parsing.
        const rawBody = yield* request.text.pipe(Effect.orElseSucceed(() => ""))
        const url = new URL(request.url, "http://localhost")
        const result = yield* receiveWebhook(path.platform, {
          headers: lowerCaseHeaders(request.headers),
          query: Object.fromEntries(url.searchParams),
          rawBody
        }).pipe(Effect.provide(context))
        return yield* HttpServerResponse.json(result).pipe(Effect.orDie)
      }).pipe(
        Effect.catchTag("DeliveryRejected", (e) => Effect.fail(toHttpError(e, path.platform)))
      ))
  }))
