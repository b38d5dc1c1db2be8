import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { Platform } from "../../domain/ids.js"
import { NotFound, Unauthorized, ValidationError } from "../errors.js"

/** deliveries from the platforms; the raw body is kept for signature checks. */
export const WebhooksApi = HttpApiGroup.make("webhooks").add(
  HttpApiEndpoint.post("receive", "/api/webhooks/:platform")
    .setPath(Schema.Struct({ platform: Platform }))
    .addSuccess(Schema.Struct({ received: Schema.Int, duplicates: Schema.Int }))
    .addError(Unauthorized)
    .addError(ValidationError)
    .addError(NotFound)
)
