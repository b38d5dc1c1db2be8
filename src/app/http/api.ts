import * as HttpApi from "@effect/platform/HttpApi"
import * as OpenApi from "@effect/platform/OpenApi"
import { ApiKeysApi } from "./api-keys-api.js"
import { AuditApi } from "./audit-api.js"
import { BackfillApi } from "./backfill-api.js"
import { ChangesApi } from "./changes-api.js"
import { HealthApi } from "./health.js"
import { PlatformConfigsApi } from "./platform-configs-api.js"
import {
  CustomersApi,
  DiningServicesApi,
  MenuItemsApi,
  OffersApi,
  OrdersApi,
  ReservationsApi,
  RoomsApi,
  TablesApi
} from "./resources.js"
import { RestaurantsApi } from "./restaurants-api.js"
import { SyncOpsApi } from "./sync-ops-api.js"
import { VoiceAiApi } from "./voice-ai-api.js"
import { WebhooksApi } from "./webhooks-api.js"

/** The whole HTTP contract; handlers live beside each group, wired in `server.ts`. */
export class SyncApi extends HttpApi.make("alloresto-sync")
  .add(HealthApi)
  .add(ReservationsApi)
  .add(DiningServicesApi)
  .add(OffersApi)
  .add(RoomsApi)
  .add(TablesApi)
  .add(MenuItemsApi)
  .add(CustomersApi)
  .add(OrdersApi)
  .add(PlatformConfigsApi)
  .add(RestaurantsApi)
  .add(WebhooksApi)
  .add(SyncOpsApi)
  .add(VoiceAiApi)
  .add(BackfillApi)
  .add(ApiKeysApi)
  .add(AuditApi)
  .add(ChangesApi)
  .annotateContext(
    OpenApi.annotations({
      title: "AlloResto Sync",
      description:
        "Keeps AlloResto and restaurant platforms (Zenchef, TheFork, SevenRooms, Uber Eats, Deliveroo) in agreement."
    })
  )
{}
