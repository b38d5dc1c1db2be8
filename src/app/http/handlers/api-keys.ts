import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { ApiKeys } from "../../services/api-keys.js"
import { SyncApi } from "../api.js"

export const ApiKeysLive = HttpApiBuilder.group(SyncApi, "apiKeys", (handlers) =>
  Effect.map(ApiKeys, (keys) =>
    handlers
      .handle("create", ({ payload }) => keys.create(payload))
      .handle("list", () => Effect.map(keys.list(), (items) => ({ items })))
      .handle("revoke", ({ path }) => keys.revoke(path.id))))
