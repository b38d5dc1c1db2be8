export type { UberEatsSimulatorControl, UberSimCounters, UberWebhookControl } from "./handle.js"
export type { ShownItem as UberSimShownItem } from "./menu.js"
export { UberSimRejected } from "./orders.js"
export * as UberEatsSimulator from "./server.js"
export type { UberEatsSimulatorHandle, UberEatsSimulatorOptions } from "./server.js"
export type { OrderEventType } from "./webhooks.js"
export type {
  Menu as UberSimMenu,
  MenuItem as UberSimMenuItem,
  Order as UberSimOrder,
  OrderSeedInput as UberOrderSeed
} from "./wire.js"
