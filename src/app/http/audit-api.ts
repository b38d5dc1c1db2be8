import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { AuditEntry } from "../../ports/admin-audit.js"
import { Forbidden } from "../errors.js"
import { everyIssue } from "./every-issue.js"
import { AdminAuthentication } from "./middleware/authentication.js"
import { PageOf, PageParams } from "./pagination.js"

/** Issue 17: who changed configs, keys and the queue, for admins. */
export const AuditApi = HttpApiGroup.make("audit")
  .add(
    HttpApiEndpoint.get("list", "/")
      .setUrlParams(everyIssue(Schema.Struct(PageParams)))
      .addSuccess(PageOf(AuditEntry))
      .addError(Forbidden)
  )
  .prefix("/api/admin/audit")
  .middleware(AdminAuthentication)
