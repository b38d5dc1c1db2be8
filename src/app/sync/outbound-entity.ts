import { Effect, Option } from "effect"
import type { EntityType, Platform } from "../../domain/ids.js"
import type { CapabilityName } from "../../ports/connector-capabilities.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import type { SyncJob } from "../../ports/sync-job-queue.js"
import type { Outcome } from "./outcome.js"

/** The design's connector method that would carry a local change of each remaining entity type. */
const carriers: Partial<Record<EntityType, { readonly capability: CapabilityName; readonly what: string }>> = {
  table: { capability: "floorPlanPush", what: "floor-plan pushes (tables)" },
  dining_room: { capability: "floorPlanPush", what: "floor-plan pushes (rooms)" },
  customer: { capability: "customerSync", what: "customer sync" },
  dining_service: { capability: "availabilityPush", what: "availability pushes (services)" }
}

/**
 * The design's generic `syncEntity` fallback for the entity types without a push of their
 * own: where the platform's API offers no such method (issue 20, item 3, the capability matrix),
 * the attempt is logged `skipped` with "platform has no …", so an operator sees why nothing moved.
 */
export const syncEntity = (job: SyncJob, platform: Platform) =>
  Effect.map(ConnectorRegistry, (registry): Outcome => {
    const carrier = carriers[job.entityType]
    const support = carrier === undefined
      ? "not_offered"
      : Option.match(registry.moduleFor(platform), {
        onNone: () => "not_offered" as const,
        onSome: (m) => m.capabilities[carrier.capability]
      })
    const what = carrier?.what ?? `${job.entityType} pushes`
    return {
      status: "skipped",
      action: "update",
      entityId: job.entityId,
      externalId: null,
      errorMessage: support === "not_offered"
        ? `${platform}: platform has no ${what}`
        // TheFork's availability override exists, but turning service changes into open or
        // closed slots is not decided yet: said, never done half-way.
        : `${platform}: ${what} are offered by the platform but not sent by this service yet`
    }
  })
