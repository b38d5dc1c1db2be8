import { Schema } from "effect"

export const ReservationStatus = Schema.Literal("pending", "confirmed", "seated", "completed", "cancelled", "no_show")
export type ReservationStatus = typeof ReservationStatus.Type

/** once the guest is at the table (or did not come), the restaurant's own record is final. */
export const terminalReservationStatuses: ReadonlyArray<ReservationStatus> = ["seated", "completed", "no_show"]
export const isTerminalReservationStatus = (s: ReservationStatus) => terminalReservationStatuses.includes(s)

export const OrderStatus = Schema.Literal(
  "pending",
  "accepted",
  "denied",
  "preparing",
  "ready",
  "picked_up",
  "delivered",
  "cancelled"
)
export type OrderStatus = typeof OrderStatus.Type

export const OrderType = Schema.Literal("pickup", "delivery")
export type OrderType = typeof OrderType.Type

export const LocalChannel = Schema.Literal("phone", "ai", "web", "walk_in", "staff")
export type LocalChannel = typeof LocalChannel.Type

export const SyncDirection = Schema.Literal("inbound", "outbound")
export type SyncDirection = typeof SyncDirection.Type

export const SyncAction = Schema.Literal(
  "create",
  "update",
  "cancel",
  "status_change",
  "check_in",
  "check_out",
  "link",
  "push_menu",
  "pull_menu"
)
export type SyncAction = typeof SyncAction.Type

/** What a job's log line names when the job ended before it could say what it did. */
export const fallbackActionOf = (direction: SyncDirection): SyncAction => direction === "outbound" ? "update" : "create"

export const SyncLogStatus = Schema.Literal("success", "failed", "conflict", "retry", "skipped")
export type SyncLogStatus = typeof SyncLogStatus.Type

export const MappingStatus = Schema.Literal("synced", "pending", "conflict")
export type MappingStatus = typeof MappingStatus.Type
