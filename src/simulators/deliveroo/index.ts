export type { DeliverooSimCounters, DeliverooSimulatorControl, DeliverooWebhookControl } from "./handle.js"
export type { ShownItem as DeliverooSimShownItem } from "./menu.js"
export { DeliverooSimRejected } from "./orders.js"
export * as DeliverooSimulator from "./server.js"
export type { DeliverooSimulatorHandle, DeliverooSimulatorOptions } from "./server.js"
export type {
  Order as DeliverooSimOrder,
  OrderSeedInput as DeliverooOrderSeed,
  PrepStage as DeliverooSimPrepStage,
  SiteStatus as DeliverooSimSiteStatus,
  SyncStatus as DeliverooSimSyncStatus
} from "./wire.js"
