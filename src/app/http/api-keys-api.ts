import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { ApiKey } from "../../ports/api-keys.js"
import { NotFound, ValidationError } from "../errors.js"
import { ApiKeyCreate, ApiKeyIssued } from "../services/api-keys.js"
import { IdPath } from "./crud.js"
import { everyIssue, NoQuery } from "./every-issue.js"
import { AdminAuthentication } from "./middleware/authentication.js"

/** Issue 17: API keys, for admins. A new key is in the creation's answer only. */
export const ApiKeysApi = HttpApiGroup.make("apiKeys")
  .add(
    HttpApiEndpoint.post("create", "/")
      .setPayload(everyIssue(ApiKeyCreate))
      .addSuccess(ApiKeyIssued, { status: 201 })
      .addError(ValidationError)
  )
  .add(
    HttpApiEndpoint.get("list", "/").setUrlParams(NoQuery).addSuccess(Schema.Struct({ items: Schema.Array(ApiKey) }))
  )
  .add(HttpApiEndpoint.post("revoke", "/:id/revoke").setPath(IdPath).addSuccess(ApiKey).addError(NotFound))
  .prefix("/api/admin/api-keys")
  .middleware(AdminAuthentication)
