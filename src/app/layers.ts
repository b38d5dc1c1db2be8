import { Layer } from "effect"
import { AdminAuditMemory } from "../adapters/memory/admin-audit.js"
import { ApiKeyRepositoryMemory } from "../adapters/memory/api-keys.js"
import { ChangeDeliveriesMemory } from "../adapters/memory/change-deliveries.js"
import { ChangeFeedMemory } from "../adapters/memory/change-feed.js"
import { DatabaseHealthMemory } from "../adapters/memory/database-health.js"
import { EntityRepositoriesMemory } from "../adapters/memory/entity-repositories.js"
import { MappingRepositoryMemory } from "../adapters/memory/mapping-repository.js"
import { OpsSessionRepositoryMemory } from "../adapters/memory/ops-sessions.js"
import { PlatformConfigRepositoryMemory } from "../adapters/memory/platform-config-repository.js"
import { RestaurantSettingsRepositoryMemory } from "../adapters/memory/restaurant-settings.js"
import { SyncJobQueueMemory } from "../adapters/memory/sync-job-queue.js"
import { SyncLogRepositoryMemory } from "../adapters/memory/sync-log-repository.js"
import { AdminAuditSql } from "../adapters/sql/admin-audit.js"
import { ApiKeyRepositorySql } from "../adapters/sql/api-keys.js"
import { ChangeDeliveriesSql } from "../adapters/sql/change-deliveries.js"
import { ChangeFeedLiveSql } from "../adapters/sql/change-feed.js"
import { DatabaseHealthSql } from "../adapters/sql/database-health.js"
import { EntityRepositoriesSql } from "../adapters/sql/entity-repositories.js"
import { MappingRepositorySql } from "../adapters/sql/mapping-repository.js"
import { OpsSessionRepositorySql } from "../adapters/sql/ops-sessions.js"
import { OpsSummarySql } from "../adapters/sql/ops-summary.js"
import { PlatformConfigRepositorySql } from "../adapters/sql/platform-config-repository.js"
import { RestaurantSettingsRepositorySql } from "../adapters/sql/restaurant-settings.js"
import { SyncJobQueueSql } from "../adapters/sql/sync-job-queue.js"
import { SyncLogRepositorySql } from "../adapters/sql/sync-log-repository.js"
import { UnitsOfWorkBatched } from "../adapters/unit-of-work.js"
import { AdminAuditLog } from "./services/admin-audit.js"
import { ApiKeys } from "./services/api-keys.js"
import { Availability } from "./services/availability.js"
import { Backfill } from "./services/backfill.js"
import { Changes } from "./services/changes.js"
import { LocalChanges } from "./services/local-changes.js"
import { OpsSessions } from "./services/ops-sessions.js"
import { PlatformConfigs } from "./services/platform-configs.js"
import { RestaurantSettingsService } from "./services/restaurant-settings.js"
import { StoreStatuses } from "./services/store-status.js"
import { SyncRecords } from "./services/sync-records.js"
import { VoiceAi } from "./services/voice-ai.js"
import { WebhookSecrets } from "./services/webhook-secrets.js"
import { ConfigCache } from "./sync/config-cache.js"
import { EventInboxLive } from "./sync/event-inbox.js"
import { OutboundSettlementsLive } from "./sync/outbound-settlements.js"

/** Every port on PostgreSQL (requires the SqlClient), the operator's read model and health check included. */
export const RepositoriesSql = UnitsOfWorkBatched.pipe(Layer.provideMerge(
  Layer.mergeAll(
    EntityRepositoriesSql,
    PlatformConfigRepositorySql,
    RestaurantSettingsRepositorySql,
    MappingRepositorySql,
    SyncLogRepositorySql,
    SyncJobQueueSql,
    OpsSummarySql,
    DatabaseHealthSql,
    ApiKeyRepositorySql,
    AdminAuditSql,
    OpsSessionRepositorySql,
    ChangeDeliveriesSql
  ).pipe(Layer.provideMerge(ChangeFeedLiveSql))
))

/** Every port in memory: for fast tests, here and in the main app's own test suites. */
export const RepositoriesMemory = UnitsOfWorkBatched.pipe(Layer.provideMerge(
  Layer.mergeAll(
    // A local write queues its push itself (WriteOptions), as the SQL repositories do in their statement.
    EntityRepositoriesMemory.pipe(Layer.provideMerge(SyncJobQueueMemory)),
    RestaurantSettingsRepositoryMemory,
    DatabaseHealthMemory,
    ApiKeyRepositoryMemory,
    AdminAuditMemory,
    OpsSessionRepositoryMemory,
    ChangeDeliveriesMemory
  ).pipe(
    // The job queue marks the mappings of what it queues as pending, as the SQL one does.
    Layer.provideMerge(
      Layer.mergeAll(PlatformConfigRepositoryMemory, MappingRepositoryMemory, SyncLogRepositoryMemory)
    ),
    Layer.provideMerge(ChangeFeedMemory)
  )
))

/** The application services over whichever repositories, cipher and registry are provided. */
export const AppServicesLive = Layer.mergeAll(
  LocalChanges.Default,
  PlatformConfigs.Default,
  RestaurantSettingsService.Default,
  StoreStatuses.Default,
  Availability.Default,
  VoiceAi.Default,
  Backfill.Default,
  WebhookSecrets.Default,
  ApiKeys.Default,
  OpsSessions.Default,
  SyncRecords.Default,
  Changes.Default
).pipe(
  Layer.provideMerge(Layer.mergeAll(EventInboxLive, OutboundSettlementsLive)),
  Layer.provideMerge(ConfigCache.Default),
  // Issue 17: the services that change configs, keys and the queue record who did it.
  Layer.provideMerge(AdminAuditLog.Default)
)
