import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import type { ConnectorRegistryOptions } from "../../../../src/adapters/platforms/registry.js"
import { ubereatsWebhooks } from "../../../../src/adapters/platforms/ubereats/webhooks.js"
import type { RestaurantId } from "../../../../src/domain/ids.js"
import type { ConnectorConfig } from "../../../../src/ports/platform-module.js"
import {
  UberEatsSimulator,
  type UberEatsSimulatorHandle,
  type UberEatsSimulatorOptions,
  type UberOrderSeed,
  type UberSimMenu
} from "../../../../src/simulators/ubereats/index.js"
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

export const ubereatsConfig = (
  sim: UberEatsSimulatorHandle,
  storeId: string,
  clientSecret = sim.clientSecret,
  restaurantId = "resto-uber"
): ConnectorConfig => ({
  restaurantId: restaurantId as RestaurantId,
  platform: "ubereats",
  externalRestaurantId: storeId,
  credentials: { clientId: sim.clientId, clientSecret, storeId, baseUrl: sim.url, tokenUrl: sim.tokenUrl },
  // Uber signs with the client secret: the config's webhook secret is that secret.
  webhookSecret: Option.some(Redacted.make(sim.clientSecret)),
  version: "1"
})

/** The sample in the simulator's seed format: prices in cents. */
export const uberSeed = (sample: OrderSample): UberOrderSeed => {
  const item = (i: OrderSample["items"][number]) => ({
    title: i.name,
    external_data: i.plu,
    quantity: i.quantity,
    unit_price: Math.round(i.unitPrice * 100),
    modifiers: i.options.map((o) => ({ group: o.group, title: o.name, price: Math.round(o.price * 100) }))
  })
  const [first, ...rest] = sample.items
  if (first === undefined) throw new Error("an order needs an item")
  return {
    type: sample.type === "delivery" ? "DELIVERY_BY_UBER" : "PICK_UP",
    eater: {
      first_name: sample.customerFirstName,
      last_name: "D.",
      phone: "+33 1 00 00 00 00",
      phone_code: "123 45 678"
    },
    special_instructions: sample.notes,
    items: [item(first), ...rest.map(item)]
  }
}

const stateOf: Record<string, PlatformOrderState> = {
  CREATED: "new",
  ACCEPTED: "accepted",
  DENIED: "denied",
  CANCELED: "cancelled",
  FINISHED: "other"
}

/** The simulator's stored menu in the suite's terms, read here, apart from the connector's mapper. */
export const storedItems = (menu: UberSimMenu | null): ReadonlyArray<StoredMenuItem> => {
  if (menu === null) return []
  const title = (t: { readonly translations: Readonly<Record<string, string>> } | undefined) =>
    t?.translations["en_us"] ?? ""
  const items = new Map(menu.items.map((i) => [i.id, i]))
  const groups = new Map(menu.modifier_groups.map((g) => [g.id, g]))
  const categoryOf = new Map(menu.categories.flatMap((c) => c.entities.map((e) => [e.id, title(c.title)] as const)))
  const now = Date.now() / 1000
  return menu.items.filter((i) => categoryOf.has(i.id)).map((i) => ({
    localId: i.external_data ?? i.id,
    name: title(i.title),
    price: i.price_info.price / 100,
    allergens: i.dish_info?.classifications?.allergens ?? [],
    available: (i.suspension_info?.suspension?.suspend_until ?? 0) <= now,
    category: categoryOf.get(i.id),
    options: (i.modifier_group_ids?.ids ?? []).flatMap((id) => {
      const g = groups.get(id)
      if (g === undefined) return []
      return [{
        name: title(g.title),
        required: (g.quantity_info?.quantity?.min_permitted ?? 0) >= 1,
        maxChoices: g.quantity_info?.quantity?.max_permitted ?? 0,
        choices: g.modifier_options.map((o) => ({
          name: title(items.get(o.id)?.title),
          price: (items.get(o.id)?.price_info.price ?? -1) / 100
        }))
      }]
    })
  }))
}

export interface StartOptions {
  readonly simulator?: UberEatsSimulatorOptions
  readonly registry?: ConnectorRegistryOptions
}

/** The simulator, a webhook receiver and a connector from the registry, all released with the scope. */
export const startUberEats = (options: StartOptions = {}) =>
  Effect.gen(function*() {
    const receiver = yield* startWebhookReceiver
    // The connector's store is the simulator's first.
    const storeId = options.simulator?.stores?.[0]?.id ?? randomUUID()
    const sim = yield* UberEatsSimulator.start({
      stores: [{ id: storeId }],
      webhookUrl: receiver.url,
      rateLimit: null,
      webhookRetry: { initialDelayMs: 100, maxAttempts: 3, timeoutMs: 2_000 },
      ...options.simulator
    })
    const registry = yield* buildRegistry(yield* HttpClient.HttpClient, options.registry)
    const config = ubereatsConfig(sim, storeId)
    const connector = yield* registry.connectorFor(config)
    const badCredentials = yield* registry.connectorFor(
      ubereatsConfig(sim, storeId, "not-the-secret", "resto-uber-bad")
    )
    const subject: OrderConformanceSubject = {
      connector,
      badCredentials,
      webhooks: ubereatsWebhooks,
      webhookSecret: Redacted.make(sim.clientSecret),
      credentials: config.credentials,
      externalRestaurantId: storeId,
      unknownOrderId: randomUUID(),
      currency: "EUR",
      sim: {
        placeOrder: (sample) => Effect.map(sim.placeOrder(uberSeed(sample)).pipe(Effect.orDie), (o) => o.id),
        orderState: (id) => Effect.map(sim.order(id).pipe(Effect.orDie), (o) => stateOf[o.current_state] ?? "other"),
        duplicateWebhooks: sim.webhooks.configure({ duplicate: true }),
        ...faultControls(sim),
        nextWebhook: receiver.next,
        storedMenu: Effect.map(sim.menu(storeId).pipe(Effect.orDie), storedItems)
      }
    }
    return { subject, sim, registry, config, storeId, receiver }
  }).pipe(Effect.orDie)

export const ubereatsHarness: OrderConformanceHarness<HttpClient.HttpClient> = {
  layer: NodeHttpClient.layerUndici,
  start: Effect.map(startUberEats(), ({ subject }) => subject)
}

export const ubereatsMenuHarness: MenuConformanceHarness<HttpClient.HttpClient> = {
  layer: NodeHttpClient.layerUndici,
  start: Effect.map(startUberEats(), ({ subject }) => subject),
  itemUpdates: { price: true, availability: true }
}
