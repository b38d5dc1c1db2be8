import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { AdminAuditLog } from "../../services/admin-audit.js"
import { SyncApi } from "../api.js"

export const AuditLive = HttpApiBuilder.group(
  SyncApi,
  "audit",
  (handlers) => Effect.map(AdminAuditLog, (audit) => handlers.handle("list", ({ urlParams }) => audit.list(urlParams)))
)
