import { Layer } from "effect"
import { ChangeFeedMemory } from "../../src/adapters/memory/change-feed.js"
import { EntityRepositoriesMemory } from "../../src/adapters/memory/entity-repositories.js"
import { MappingRepositoryMemory } from "../../src/adapters/memory/mapping-repository.js"
import { PlatformConfigRepositoryMemory } from "../../src/adapters/memory/platform-config-repository.js"
import { SyncJobQueueMemory } from "../../src/adapters/memory/sync-job-queue.js"
import { SyncLogRepositoryMemory } from "../../src/adapters/memory/sync-log-repository.js"

/** The memory entity repositories with what they write beside a record: change log, job queue, configs. */
export const MemoryEntityRepositories = EntityRepositoriesMemory.pipe(
  Layer.provideMerge(SyncJobQueueMemory),
  Layer.provideMerge(
    Layer.mergeAll(PlatformConfigRepositoryMemory, MappingRepositoryMemory, SyncLogRepositoryMemory, ChangeFeedMemory)
  )
)
