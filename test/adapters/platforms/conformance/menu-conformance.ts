import { assert, describe, layer } from "@effect/vitest"
import { Effect, type Layer, type Scope } from "effect"
import type { MenuItemSyncDTO } from "../../../../src/domain/dtos.js"
import { type PlatformConnector, requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleMenu } from "./menu-samples.js"

/** One item as the simulator stored it, read by the harness from the simulator's own state. */
export interface StoredMenuItem {
  readonly localId: string
  readonly name: string
  /** Decimal, in the menu's currency. */
  readonly price: number
  readonly allergens: ReadonlyArray<string>
  readonly available: boolean
  readonly category: string | undefined
  readonly options: ReadonlyArray<{
    readonly name: string
    readonly required: boolean
    readonly maxChoices: number
    readonly choices: ReadonlyArray<{ readonly name: string; readonly price: number }>
  }>
}

export interface MenuSimulatorControl {
  /** The items of the last upload (not the option choices), in upload order. */
  readonly storedMenu: Effect.Effect<ReadonlyArray<StoredMenuItem>>
}

export interface MenuConformanceSubject {
  readonly connector: PlatformConnector
  readonly currency: string
  readonly sim: MenuSimulatorControl
}

export interface MenuConformanceHarness<R> {
  readonly layer: Layer.Layer<R>
  readonly start: Effect.Effect<MenuConformanceSubject, never, Scope.Scope | R>
  /** What `menu.updateItem` can change on this platform. */
  readonly itemUpdates: { readonly price: boolean; readonly availability: boolean }
}

const menuOf = (s: MenuConformanceSubject) => requireCapability(s.connector, "menu").pipe(Effect.orDie)

const assertStoredAs = (stored: StoredMenuItem | undefined, item: MenuItemSyncDTO) => {
  assert.isDefined(stored, `item ${item.localId} missing`)
  if (stored === undefined) return
  assert.strictEqual(stored.name, item.name)
  assert.closeTo(stored.price, item.price, 0.001)
  assert.deepStrictEqual([...stored.allergens].sort(), [...item.allergens].sort())
  assert.strictEqual(stored.available, item.isAvailable)
  assert.strictEqual(stored.category, item.category)
  assert.deepStrictEqual(
    stored.options.map((
      o
    ) => [o.name, o.required, o.maxChoices, o.choices.map((c) => [c.name, Math.round(c.price * 100)])]),
    item.options.map((
      o
    ) => [o.name, o.required, o.maxChoices, o.choices.map((c) => [c.name, Math.round(c.priceDelta * 100)])])
  )
}

/** Whole-menu uploads (R-4.5, issue: "a menu of 200 items with options arrives whole"). */
export const menuConformance = <R>(name: string, harness: MenuConformanceHarness<R>) =>
  describe(`${name} menu connector conformance`, () => {
    layer(harness.layer, { excludeTestServices: true })((it) => {
      it.scoped(
        "a menu of 200 items with options arrives whole: prices, allergens, options, categories, availability",
        () =>
          Effect.gen(function*() {
            const s = yield* harness.start
            const menu = sampleMenu(200, s.currency)
            yield* (yield* menuOf(s)).push(menu)
            const stored = yield* s.sim.storedMenu
            assert.strictEqual(stored.length, 200)
            const byId = new Map(stored.map((i) => [i.localId, i]))
            for (const item of menu.items) assertStoredAs(byId.get(item.localId), item)
          }),
        { timeout: 20_000 }
      )

      it.scoped("an upload replaces the whole menu: items left out are gone", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const menu = yield* menuOf(s)
          const first = sampleMenu(6, s.currency)
          yield* menu.push(first)
          const kept = first.items.slice(0, 2)
          yield* menu.push({
            ...first,
            items: kept,
            categories: first.categories.map((c) => ({
              ...c,
              itemLocalIds: c.itemLocalIds.filter((id) => kept.some((k) => k.localId === id))
            }))
          })
          assert.deepStrictEqual(
            (yield* s.sim.storedMenu).map((i) => i.localId).sort(),
            kept.map((i) => i.localId).sort()
          )
        }))

      it.scoped("pulling reads back the menu pushed", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const menu = yield* menuOf(s)
          const pushed = sampleMenu(12, s.currency)
          yield* menu.push(pushed)
          const pulled = yield* menu.pull()
          assert.strictEqual(pulled.items.length, pushed.items.length)
          const byId = new Map(pulled.items.map((i) => [i.localId, i]))
          for (const item of pushed.items) {
            const back = byId.get(item.localId)
            assert.deepInclude(back, {
              name: item.name,
              price: item.price,
              isAvailable: item.isAvailable,
              category: item.category
            })
            assert.deepStrictEqual([...(back?.allergens ?? [])].sort(), [...item.allergens].sort())
            assert.deepStrictEqual(back?.options, item.options)
          }
        }))

      it.scoped("a single-item update changes that item only, where the platform has one", () =>
        Effect.gen(function*() {
          const s = yield* harness.start
          const menu = yield* menuOf(s)
          const { updateItem } = menu
          if (updateItem === undefined) {
            return assert.isFalse(harness.itemUpdates.availability || harness.itemUpdates.price)
          }
          const pushed = sampleMenu(4, s.currency)
          yield* menu.push(pushed)
          const [target, other] = pushed.items
          if (target === undefined || other === undefined) return assert.fail("sample too small")
          const price = harness.itemUpdates.price ? { price: target.price + 1.1 } : {}
          yield* updateItem({ localId: target.localId, isAvailable: false, ...price })
          const stored = new Map((yield* s.sim.storedMenu).map((i) => [i.localId, i]))
          if (harness.itemUpdates.availability) assert.isFalse(stored.get(target.localId)?.available)
          if (harness.itemUpdates.price) {
            assert.closeTo(stored.get(target.localId)?.price ?? 0, target.price + 1.1, 0.001)
          }
          assertStoredAs(stored.get(other.localId), other)
        }))
    })
  })
