import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { NotFound, Unavailable } from "../errors.js"
import { BackfillReport, BackfillRequest } from "../services/backfill.js"
import { everyIssue } from "./every-issue.js"
import { AdminAuthentication } from "./middleware/authentication.js"

export const BackfillApi = HttpApiGroup.make("backfill").add(
  HttpApiEndpoint.post("run", "/api/backfill")
    .setPayload(everyIssue(BackfillRequest))
    .addSuccess(BackfillReport)
    .addError(NotFound)
    .addError(Unavailable)
).middleware(AdminAuthentication)
