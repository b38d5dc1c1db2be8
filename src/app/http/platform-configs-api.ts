import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { Platform } from "../../domain/ids.js"
import { PlatformConfig } from "../../ports/platform-config-repository.js"
import { Conflict, NotFound, Unavailable, ValidationError } from "../errors.js"
import { CredentialCheck } from "../services/credential-check.js"
import { PlatformConfigCreate, PlatformConfigSaved, PlatformConfigUpdate } from "../services/platform-configs.js"
import { StoreStatusChange, StoreStatusView } from "../services/store-status.js"
import { WebhookSecretIssued, WebhookSecretRotation } from "../services/webhook-secrets.js"
import { IdPath } from "./crud.js"
import { everyIssue, NoQuery } from "./every-issue.js"
import { AdminAuthentication, OperatorAuthentication } from "./middleware/authentication.js"
import { PageOf, PageParams } from "./pagination.js"

/** Issue 17: platform configs are for admins; a store's status for operators too. */
export const PlatformConfigsApi = HttpApiGroup.make("platformConfigs")
  .add(
    HttpApiEndpoint.get("list", "/").middleware(AdminAuthentication)
      .setUrlParams(everyIssue(Schema.Struct({ ...PageParams, platform: Schema.optional(Platform) })))
      .addSuccess(PageOf(PlatformConfig))
  )
  .add(
    HttpApiEndpoint.get("get", "/:id").middleware(AdminAuthentication).setPath(IdPath).setUrlParams(NoQuery)
      .addSuccess(PlatformConfig)
      .addError(NotFound)
  )
  .add(
    HttpApiEndpoint.post("create", "/").middleware(AdminAuthentication)
      .setPayload(everyIssue(PlatformConfigCreate))
      .addSuccess(PlatformConfigSaved, { status: 201 })
      .addError(ValidationError)
      .addError(Conflict)
  )
  .add(
    HttpApiEndpoint.patch("update", "/:id").middleware(AdminAuthentication)
      .setPath(IdPath)
      .setPayload(everyIssue(PlatformConfigUpdate))
      .addSuccess(PlatformConfigSaved)
      .addError(NotFound)
      .addError(ValidationError)
      .addError(Conflict)
  )
  .add(
    HttpApiEndpoint.del("remove", "/:id").middleware(AdminAuthentication).setPath(IdPath).addSuccess(Schema.Void, {
      status: 204
    }).addError(NotFound)
  )
  .add(
    // Issue 20, item 8: authenticates against the platform and says what works; 200 either way.
    HttpApiEndpoint.post("check", "/:id/check").middleware(AdminAuthentication).setPath(IdPath).addSuccess(
      CredentialCheck
    ).addError(NotFound)
  )
  .add(
    HttpApiEndpoint.get("storeStatus", "/:id/store-status").middleware(OperatorAuthentication)
      .setPath(IdPath)
      .setUrlParams(NoQuery)
      .addSuccess(StoreStatusView)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Unavailable)
  )
  .add(
    HttpApiEndpoint.put("setStoreStatus", "/:id/store-status").middleware(OperatorAuthentication)
      .setPath(IdPath)
      .setPayload(everyIssue(StoreStatusChange))
      .addSuccess(StoreStatusView)
      .addError(NotFound)
      .addError(ValidationError)
      .addError(Conflict)
      .addError(Unavailable)
  )
  .add(
    // Issue 18: a new webhook secret, shown once; the previous one is accepted during the overlap.
    HttpApiEndpoint.post("rotateWebhookSecret", "/:id/webhook-secret").middleware(AdminAuthentication)
      .setPath(IdPath)
      .setPayload(everyIssue(WebhookSecretRotation))
      .addSuccess(WebhookSecretIssued)
      .addError(NotFound)
      .addError(ValidationError)
  )
  .prefix("/api/platform-configs")
