import { Effect } from "effect"
import type { EntityType, Platform } from "../../src/domain/ids.js"
import { MappingRepository } from "../../src/ports/mapping-repository.js"

/** Links a local record to its twin on a platform, as a synced push would have. */
export const linkOn = (
  restaurantId: string,
  entityType: EntityType,
  entityId: string,
  externalId: string,
  platform: Platform = "zenchef"
) =>
  Effect.flatMap(MappingRepository, (mappings) =>
    mappings.upsert({
      restaurantId: restaurantId as never,
      entityType,
      entityId,
      platform,
      externalId,
      syncStatus: "synced",
      syncedAt: null
    }))
