import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Option, Redacted, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { deliverooWebhooks } from "../../../../src/adapters/platforms/deliveroo/webhooks.js"
import type { ConnectorRegistryOptions } from "../../../../src/adapters/platforms/registry.js"
import type { RestaurantId } from "../../../../src/domain/ids.js"
import type { ConnectorConfig } from "../../../../src/ports/platform-module.js"
import {
  type DeliverooOrderSeed,
  DeliverooSimulator,
  type DeliverooSimulatorHandle,
  type DeliverooSimulatorOptions
} from "../../../../src/simulators/deliveroo/index.js"
import { buildRegistry, faultControls } from "../conformance/harness-kit.js"
import type { MenuConformanceHarness, StoredMenuItem } from "../conformance/menu-conformance.js"
import type {
  OrderConformanceHarness,
  OrderConformanceSubject,
  OrderSample,
  PlatformOrderState
} from "../conformance/order-conformance.js"
import { startWebhookReceiver } from "../conformance/webhook-receiver.js"

export { testHttpPolicy } from "../conformance/harness-kit.js"

export const MENU_ID = "alloresto"

export const deliverooConfig = (
  sim: DeliverooSimulatorHandle,
  clientSecret = sim.clientSecret,
  restaurantId = "resto-roo"
): ConnectorConfig => {
  const site = sim.sites[0]
  if (site === undefined) throw new Error("the simulator has no site")
  return {
    restaurantId: restaurantId as RestaurantId,
    platform: "deliveroo",
    externalRestaurantId: site.locationId,
    credentials: {
      clientId: sim.clientId,
      clientSecret,
      locationId: site.locationId,
      brandId: site.brandId,
      siteId: site.siteId,
      menuId: MENU_ID,
      baseUrl: sim.url,
      tokenUrl: sim.tokenUrl
    },
    webhookSecret: Option.some(Redacted.make(sim.webhookSecret)),
    version: "1"
  }
}

/** The sample in the simulator's seed format: prices in pence/cents. */
export const deliverooSeed = (sample: OrderSample): DeliverooOrderSeed => {
  const item = (i: OrderSample["items"][number]) => ({
    name: i.name,
    pos_item_id: i.plu,
    quantity: i.quantity,
    unit_price: Math.round(i.unitPrice * 100),
    modifiers: i.options.map((o) => ({ name: o.name, unit_price: Math.round(o.price * 100) }))
  })
  const [first, ...rest] = sample.items
  if (first === undefined) throw new Error("an order needs an item")
  return {
    fulfillment_type: sample.type === "delivery" ? "deliveroo" : "customer",
    customer: {
      first_name: sample.customerFirstName,
      contact_number: "+44 20 0000 0000",
      contact_access_code: "123 456 789"
    },
    order_notes: sample.notes,
    items: [item(first), ...rest.map(item)]
  }
}

const stateOf: Record<string, PlatformOrderState> = {
  placed: "new",
  accepted: "accepted",
  confirmed: "accepted",
  rejected: "denied",
  canceled: "cancelled"
}

/** The test's own reading of the upload the simulator kept, apart from the connector's types. */
const Text = Schema.Record({ key: Schema.String, value: Schema.String })
const StoredUpload = Schema.Struct({
  menu: Schema.Struct({
    categories: Schema.Array(Schema.Struct({ name: Text, item_ids: Schema.Array(Schema.String) })),
    items: Schema.Array(Schema.Struct({
      id: Schema.String,
      name: Text,
      plu: Schema.optional(Schema.String),
      type: Schema.optional(Schema.String),
      price_info: Schema.Struct({ price: Schema.Number }),
      allergies: Schema.optional(Schema.Array(Schema.String)),
      modifier_ids: Schema.optional(Schema.Array(Schema.String))
    })),
    modifiers: Schema.Array(
      Schema.Struct({
        id: Schema.String,
        name: Text,
        min_selection: Schema.Number,
        max_selection: Schema.Number,
        item_ids: Schema.Array(Schema.String)
      })
    )
  })
})

export const storedItems = (raw: unknown, unavailable: ReadonlyArray<string>): ReadonlyArray<StoredMenuItem> => {
  if (raw === null) return []
  const { menu } = Schema.decodeUnknownSync(StoredUpload)(raw)
  const items = new Map(menu.items.map((i) => [i.id, i]))
  const modifiers = new Map(menu.modifiers.map((m) => [m.id, m]))
  const categoryOf = new Map(menu.categories.flatMap((c) => c.item_ids.map((id) => [id, c.name["en"]] as const)))
  return menu.items.filter((i) => i.type === "ITEM").map((i) => ({
    localId: i.plu ?? i.id,
    name: i.name["en"] ?? "",
    price: i.price_info.price / 100,
    allergens: i.allergies ?? [],
    available: !unavailable.includes(i.id),
    category: categoryOf.get(i.id),
    options: (i.modifier_ids ?? []).flatMap((id) => {
      const m = modifiers.get(id)
      if (m === undefined) return []
      return [{
        name: m.name["en"] ?? "",
        required: m.min_selection >= 1,
        maxChoices: m.max_selection,
        choices: m.item_ids.map((c) => ({
          name: items.get(c)?.name["en"] ?? "",
          price: (items.get(c)?.price_info.price ?? -1) / 100
        }))
      }]
    })
  }))
}

export interface StartOptions {
  readonly simulator?: DeliverooSimulatorOptions
  readonly registry?: ConnectorRegistryOptions
}

/** The simulator, a webhook receiver and a connector from the registry, all released with the scope. */
export const startDeliveroo = (options: StartOptions = {}) =>
  Effect.gen(function*() {
    const receiver = yield* startWebhookReceiver
    const sim = yield* DeliverooSimulator.start({
      webhookUrl: receiver.url,
      rateLimit: null,
      webhookRetry: { initialDelayMs: 100, maxAttempts: 3, timeoutMs: 2_000 },
      ...options.simulator
    })
    const registry = yield* buildRegistry(yield* HttpClient.HttpClient, options.registry)
    const config = deliverooConfig(sim)
    const connector = yield* registry.connectorFor(config)
    const badCredentials = yield* registry.connectorFor(deliverooConfig(sim, "not-the-secret", "resto-roo-bad"))
    const site = sim.sites[0] ?? { siteId: "", brandId: "", locationId: "" }
    const subject: OrderConformanceSubject = {
      connector,
      badCredentials,
      webhooks: deliverooWebhooks,
      webhookSecret: Redacted.make(sim.webhookSecret),
      credentials: config.credentials,
      externalRestaurantId: site.locationId,
      unknownOrderId: `gb:${randomUUID()}`,
      currency: "EUR",
      sim: {
        placeOrder: (sample) => Effect.map(sim.placeOrder(deliverooSeed(sample)).pipe(Effect.orDie), (o) => o.id),
        orderState: (id) => Effect.map(sim.order(id).pipe(Effect.orDie), (o) => stateOf[o.status] ?? "other"),
        duplicateWebhooks: sim.webhooks.configure({ duplicate: true }),
        ...faultControls(sim),
        nextWebhook: receiver.next,
        storedMenu: Effect.zipWith(
          sim.menu(site.brandId, MENU_ID),
          sim.unavailableItems(site.siteId).pipe(Effect.orDie),
          storedItems
        )
      }
    }
    return { subject, sim, registry, config, site, receiver }
  }).pipe(Effect.orDie)

export const deliverooHarness: OrderConformanceHarness<HttpClient.HttpClient> = {
  layer: NodeHttpClient.layerUndici,
  start: Effect.map(startDeliveroo(), ({ subject }) => subject)
}

export const deliverooMenuHarness: MenuConformanceHarness<HttpClient.HttpClient> = {
  layer: NodeHttpClient.layerUndici,
  start: Effect.map(startDeliveroo(), ({ subject }) => subject),
  itemUpdates: { price: false, availability: true }
}
