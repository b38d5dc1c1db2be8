import type { WebhookEventType } from "./dtos.js"
import type { EntityType } from "./ids.js"
import { fallbackActionOf, type SyncAction, type SyncDirection } from "./status.js"

/** What each platform event asks of the local record, as the audit log names actions. */
export const eventActions: Readonly<Record<WebhookEventType, SyncAction>> = {
  "reservation.created": "create",
  "reservation.updated": "update",
  "reservation.cancelled": "cancel",
  "reservation.status_changed": "status_change",
  "order.created": "create",
  "order.updated": "update",
  "order.cancelled": "cancel",
  "order.status_changed": "status_change",
  "store.status_changed": "status_change",
  "store.deprovisioned": "status_change",
  "store.provisioned": "status_change",
  "menu.updated": "push_menu",
  unknown: "update"
}

/** What a push of each entity type does on the platform, where the type alone says it. */
export const pushActions: Readonly<Partial<Record<EntityType, SyncAction>>> = {
  order: "status_change",
  menu_item: "push_menu",
  offer: "push_menu"
}

/**
 * The action a job's audit line names when its attempt ended before saying what it did (a
 * failure, a defect): the event an inbound job carries, or what an outbound job's type pushes. A
 * reservation push names create, update, cancel or a check-in itself once it knows which.
 */
export const jobAction = (job: {
  readonly direction: SyncDirection
  readonly entityType: EntityType
  readonly eventType: WebhookEventType | undefined
}): SyncAction =>
  (job.direction === "inbound"
    ? job.eventType === undefined ? undefined : eventActions[job.eventType]
    : pushActions[job.entityType]) ?? fallbackActionOf(job.direction)
