import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import type { EntityType } from "../../src/domain/ids.js"
import { DeliverooSimulator } from "../../src/simulators/deliveroo/index.js"
import { UberEatsSimulator } from "../../src/simulators/ubereats/index.js"
import { request, ServiceUrl } from "./service.js"

export type Body = Record<string, any>

/** Orders, menu items and offers: what a marketplace config syncs. */
const MARKETPLACE_ENTITIES: ReadonlyArray<EntityType> = ["order", "menu_item", "offer"]

export const post = (path: string, body: unknown) =>
  Effect.flatMap(
    request("POST", path, body),
    (r) => (r.status < 300 ? Effect.succeed(r.body as Body) : Effect.dieMessage(`${path}: ${r.status} ${r.text}`))
  )

export const list = (path: string) => Effect.map(request("GET", path), (r) => (r.body as { items: Array<Body> }).items)

/** `PUT` on the service, through the shared keyed `request` helper. */
export const put = (path: string, body: unknown) =>
  Effect.map(request("PUT", path, body), (r) => ({ status: r.status, body: r.body as Body | undefined, text: r.text }))

const restaurantIdOf = () => `resto-${randomBytes(4).toString("hex")}`
const quick = { rateLimit: null, webhookRetry: { initialDelayMs: 20, maxAttempts: 3 } } as const

/**
 * One restaurant connected to an Uber Eats simulator over real HTTP: the app's OAuth client
 * (encrypted in its config), the client secret as the webhook secret (Uber signs with it), and
 * the simulator posting its signed notifications to the service.
 */
export const uberWorld = (
  options: {
    readonly restaurantId?: string
    readonly syncEntities?: ReadonlyArray<EntityType>
    readonly masterFor?: ReadonlyArray<EntityType>
  } = {}
) =>
  Effect.gen(function*() {
    const base = yield* ServiceUrl
    const sim = yield* UberEatsSimulator.start({ ...quick, webhookUrl: `${base}/api/webhooks/ubereats` })
    const storeId = sim.storeIds[0]!
    const restaurantId = options.restaurantId ?? restaurantIdOf()
    const config = yield* post("/api/platform-configs", {
      restaurantId,
      platform: "ubereats",
      credentials: {
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        storeId,
        baseUrl: sim.url,
        tokenUrl: sim.tokenUrl
      },
      webhookSecret: sim.clientSecret,
      syncEntities: options.syncEntities ?? MARKETPLACE_ENTITIES,
      ...(options.masterFor === undefined ? {} : { masterFor: options.masterFor })
    })
    const menuUploads = Effect.map(sim.counters, (c) => c.requestsByRoute["PUT /v2/eats/stores/{storeId}/menus"] ?? 0)
    return { sim, storeId, restaurantId, config, menuUploads }
  })

/**
 * One restaurant connected to a Deliveroo simulator: OAuth client credentials, the site's
 * location, brand and site ids, and the webhook secret (distinct from the client secret).
 */
export const deliverooWorld = (options: { readonly restaurantId?: string } = {}) =>
  Effect.gen(function*() {
    const base = yield* ServiceUrl
    const sim = yield* DeliverooSimulator.start({ ...quick, webhookUrl: `${base}/api/webhooks/deliveroo` })
    const site = sim.sites[0]!
    const restaurantId = options.restaurantId ?? restaurantIdOf()
    const menuId = "alloresto"
    const config = yield* post("/api/platform-configs", {
      restaurantId,
      platform: "deliveroo",
      credentials: {
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        locationId: site.locationId,
        brandId: site.brandId,
        siteId: site.siteId,
        menuId,
        baseUrl: sim.url,
        tokenUrl: sim.tokenUrl
      },
      webhookSecret: sim.webhookSecret,
      syncEntities: MARKETPLACE_ENTITIES
    })
    const menuUploads = Effect.map(sim.counters, (c) =>
      c.requestsByRoute["PUT /menu/v1/brands/{brandId}/menus/{menuId}"] ?? 0)
    const menu = sim.menu(site.brandId, menuId)
    return { sim, site, menuId, restaurantId, config, menuUploads, menu }
  })

/** 200 local menu items over 8 categories, every other one with two option groups, allergens on each. */
export const bigMenu = (restaurantId: string, count = 200) =>
  Array.from({ length: count }, (_, i) => ({
    restaurantId,
    name: `Plat n°${i + 1}`,
    description: i % 3 === 0 ? `Description du plat ${i + 1}` : null,
    price: Math.round((5 + i * 0.37) * 100) / 100,
    category: `Catégorie ${(i % 8) + 1}`,
    allergens: i % 4 === 0 ? [] : ["gluten", "lait", "arachides", "soja"].slice(0, i % 4),
    options: i % 2 === 0
      ? [
        {
          name: "Cuisson",
          required: true,
          maxChoices: 1,
          choices: [{ name: "Saignant", priceDelta: 0 }, { name: "À point", priceDelta: 0 }]
        },
        {
          name: "Suppléments",
          required: false,
          maxChoices: 3,
          choices: [{ name: "Fromage", priceDelta: 1.5 }, { name: "Bacon", priceDelta: 2.25 }, {
            name: "Œuf",
            priceDelta: 0.9
          }]
        }
      ]
      : [],
    isAvailable: i % 50 !== 7
  }))

/** Creates the menu through the API; the responses (with their ids) in the input's order. */
export const createMenu = (items: ReadonlyArray<Body>) =>
  Effect.forEach(items, (item) => post("/api/menu-items", item), { concurrency: 8 })
