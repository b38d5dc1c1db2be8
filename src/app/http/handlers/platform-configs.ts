import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { PlatformConfigs } from "../../services/platform-configs.js"
import { StoreStatuses } from "../../services/store-status.js"
import { WebhookSecrets } from "../../services/webhook-secrets.js"
import { SyncApi } from "../api.js"

export const PlatformConfigsLive = HttpApiBuilder.group(
  SyncApi,
  "platformConfigs",
  (handlers) =>
    Effect.gen(function*() {
      const configs = yield* PlatformConfigs
      const stores = yield* StoreStatuses
      const webhookSecrets = yield* WebhookSecrets
      return handlers
        .handle("list", ({ urlParams }) => configs.list(urlParams))
        .handle("get", ({ path }) => configs.get(path.id))
        .handle("create", ({ payload }) => configs.create(payload))
        .handle("update", ({ path, payload }) => configs.update(path.id, payload))
        .handle("remove", ({ path }) => configs.remove(path.id))
        .handle("check", ({ path }) => configs.check(path.id))
        .handle("storeStatus", ({ path }) => stores.get(path.id))
        .handle("setStoreStatus", ({ path, payload }) => stores.set(path.id, payload.status, payload.until))
        .handle("rotateWebhookSecret", ({ path, payload }) => webhookSecrets.rotate(path.id, payload))
    })
)
