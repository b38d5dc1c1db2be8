import type { MenuItemSyncDTO, MenuSyncDTO, OfferSyncDTO } from "../../../domain/dtos.js"
import type { UnpublishedOffer } from "../../../ports/connector-capabilities.js"

/**
 * A formula as a marketplace bundle (issue 20, item 2): an item of its own, priced as the offer
 * says, whose steps are choices among menu items. Both marketplaces model a choice per step as a
 * modifier group (ubereats.md and deliveroo.md, "Bundles/combos").
 */
export interface Formula {
  readonly offer: OfferSyncDTO
  readonly price: number
  readonly currency: string
  readonly steps: ReadonlyArray<{ readonly name: string; readonly items: ReadonlyArray<MenuItemSyncDTO> }>
}

/** The PLU / external data of a bundle: never a menu item id, so an order line for it is no dish. */
export const FORMULA_PREFIX = "offer:"
export const formulaRef = (offerLocalId: string) => `${FORMULA_PREFIX}${offerLocalId}`
export const offerIdOfRef = (ref: string | null | undefined): string | undefined =>
  ref?.startsWith(FORMULA_PREFIX) ? ref.slice(FORMULA_PREFIX.length) : undefined

/**
 * The menu's offers, sorted into bundles to publish and offers this platform cannot show, each with
 * its reason. `promotionHasNoPlace` says why an offer without steps is not published.
 */
export const formulasOf = (menu: MenuSyncDTO, promotionHasNoPlace: string) => {
  const items = new Map(menu.items.map((i) => [i.localId, i]))
  const formulas: Array<Formula> = []
  const unpublished: Array<UnpublishedOffer> = []
  for (const offer of menu.offers) {
    const refuse = (reason: string) => void unpublished.push({ localId: offer.localId, reason })
    if (!offer.isActive) continue
    if (offer.steps === undefined || offer.steps.length === 0) {
      refuse(promotionHasNoPlace)
      continue
    }
    const steps = offer.steps.map((step) => ({
      name: step.name,
      items: step.itemLocalIds.flatMap((id) => items.get(id) ?? [])
    }))
    const empty = steps.find((step) => step.items.length === 0)
    if (empty !== undefined) refuse(`the formula's step "${empty.name}" has none of its items on the menu`)
    else if (offer.price === undefined) refuse("the formula has no price: set the offer's price or link its menu item")
    else formulas.push({ offer, price: offer.price, currency: steps[0]!.items[0]!.currency, steps })
  }
  return { formulas, unpublished }
}
