import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { buildOffersText, buildServicesText, describeDays } from "../../src/domain/ai-prompt.js"
import { diningRoom, diningService, menuItem, offer } from "../../src/domain/entities.js"
import { DiningRoomId, DiningServiceId, MenuItemId, OfferId } from "../../src/domain/ids.js"

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`
const stamps = { createdAt: "2025-01-01T00:00:00Z", updatedAt: "2025-01-01T00:00:00Z" }

const terrace = {
  ...Schema.decodeSync(diningRoom.Create)({ restaurantId: "r1", name: "Terrasse" }),
  id: DiningRoomId.make(uuid(1)),
  ...stamps
}
const tasting = {
  ...Schema.decodeSync(menuItem.Create)({ restaurantId: "r1", name: "Menu dégustation", price: 65 }),
  id: MenuItemId.make(uuid(2)),
  ...stamps
}

const service = (n: number, fields: Partial<typeof diningService.Create.Encoded> = {}) => ({
  ...Schema.decodeSync(diningService.Create)({
    restaurantId: "r1",
    name: "Dîner",
    dayOfWeek: [2, 3, 4, 5, 6],
    startTime: "19:00",
    endTime: "23:00",
    maxCovers: 40,
    ...fields
  }),
  id: DiningServiceId.make(uuid(100 + n)),
  ...stamps
})

const anOffer = (n: number, fields: Partial<typeof offer.Create.Encoded> = {}) => ({
  ...Schema.decodeSync(offer.Create)({ restaurantId: "r1", name: "Saint-Valentin", ...fields }),
  id: OfferId.make(uuid(200 + n)),
  ...stamps
})

const full = service(1, {
  lastSeatingTime: "21:30",
  defaultDurationMin: 105,
  requiresPrepayment: true,
  prepaymentAmount: 20,
  autoConfirm: false,
  diningRoomIds: [terrace.id]
})

describe("buildServicesText (R-11.1)", () => {
  it("states every field of a service, in French by default", () => {
    expect(buildServicesText([full], { rooms: [terrace] })).toBe(
      "## Services\n" +
        `- Dîner [service_id: ${full.id}] : du mardi au samedi, 19h00–23h00, dernière arrivée 21h30 ; 40 couverts maximum ; ` +
        "durée par défaut 1 h 45 ; prépaiement requis : 20,00 € ; salles : Terrasse ; réservation à confirmer par le restaurant."
    )
  })

  it("states every field of a service in English", () => {
    expect(buildServicesText([full], { language: "en", rooms: [terrace] })).toBe(
      "## Services\n" +
        `- Dîner [service_id: ${full.id}]: Tuesday to Saturday, 19:00–23:00, last seating 21:30; up to 40 covers; ` +
        "default duration 1 h 45 min; prepayment required: €20.00; rooms: Terrasse; bookings confirmed by the restaurant."
    )
  })

  it("names a non-standard type, derives the last seating, and says when no prepayment is due", () => {
    const brunch = service(2, {
      name: "Brunch",
      type: "brunch",
      dayOfWeek: [7],
      startTime: "11:00",
      endTime: "15:00",
      defaultDurationMin: 60
    })
    expect(buildServicesText([brunch], {})).toBe(
      `## Services\n- Brunch (brunch) [service_id: ${brunch.id}] : dimanche, 11h00–15h00, dernière arrivée 14h00 ; ` +
        "40 couverts maximum ; durée par défaut 1 h ; pas de prépaiement."
    )
    const event = service(3, { type: "evenement", requiresPrepayment: true, defaultDurationMin: 45 })
    expect(buildServicesText([event], { language: "en" })).toContain("(event)")
    expect(buildServicesText([event], { language: "en" })).toContain("default duration 45 min; prepayment required.")
    expect(buildServicesText([event], {})).toContain("(événement)")
  })

  it("leaves out inactive and private services, and says so when none is left", () => {
    const text = buildServicesText([
      service(4, { name: "Privé", isPrivate: true }),
      service(5, { name: "Fermé", isActive: false })
    ], {})
    expect(text).toBe("## Services\nAucun service n'est ouvert à la réservation.")
    expect(buildServicesText([], { language: "en" })).toBe("## Services\nNo service is open for booking.")
  })

  it("with a platform master of reservations, sends the model to check_availability instead of saying nothing is open", () => {
    expect(buildServicesText([], { language: "en", bookedOnPlatform: true })).toBe(
      "## Services\nThe times open for booking are those of the restaurant's booking book: " +
        "ask check_availability for a date and party size."
    )
    expect(buildServicesText([], { bookedOnPlatform: true })).not.toContain("Aucun service")
    const lines = buildServicesText([service(9, {})], { bookedOnPlatform: true }).split("\n")
    expect(lines).toHaveLength(3)
    expect(lines[2]).toMatch(/^Les horaires ouverts à la réservation sont ceux du carnet/)
  })

  it("orders services by first day, then start time", () => {
    const lines = buildServicesText([
      service(6, { name: "Dîner du lundi", dayOfWeek: [1], startTime: "19:00" }),
      service(7, { name: "Déjeuner", dayOfWeek: [1, 2], startTime: "12:00" }),
      service(8, { name: "Soir", dayOfWeek: [3] })
    ], {}).split("\n").slice(1).map((l) => l.split(" [")[0])
    expect(lines).toEqual(["- Déjeuner", "- Dîner du lundi", "- Soir"])
  })

  it("groups days into ranges of three or more", () => {
    expect(describeDays("fr", [1, 2, 3, 4, 5, 6, 7])).toBe("tous les jours")
    expect(describeDays("fr", [6, 1, 2, 3, 5])).toBe("du lundi au mercredi, vendredi et samedi")
    expect(describeDays("en", [1, 2, 3, 5, 6])).toBe("Monday to Wednesday, Friday and Saturday")
    expect(describeDays("en", [7])).toBe("Sunday")
    expect(describeDays("en", [1, 2, 3, 4, 5, 6, 7])).toBe("every day")
  })
})

const valentine = anOffer(1, {
  description: "Dîner aux chandelles",
  type: "evenement",
  menuItemId: tasting.id,
  discountPercent: 20,
  startDate: "2025-02-14",
  endDate: "2025-02-15",
  isPermanent: false,
  minPartySize: 2,
  maxPartySize: 6,
  hasPrepayment: true,
  prepaymentAmount: 30,
  prepaymentType: "per_person"
})
const today = "2025-02-01"

describe("buildOffersText (R-11.1)", () => {
  it("states every field of a bookable offer, in French by default", () => {
    expect(buildOffersText([valentine], { today, menuItems: [tasting] })).toBe(
      "## Offres réservables\n" +
        "Proposez ces offres au client lors de la réservation et passez leur offer_id à confirm_reservation.\n" +
        `- Saint-Valentin (événement) [offer_id: ${valentine.id}] : Dîner aux chandelles. De 2 à 6 personnes. ` +
        "Du 14 février 2025 au 15 février 2025. Formule : Menu dégustation (65,00 €). Remise de 20 %. Prépaiement de 30,00 € par personne."
    )
  })

  it("states every field of a bookable offer in English", () => {
    expect(buildOffersText([valentine], { language: "en", today, menuItems: [tasting] })).toBe(
      "## Bookable offers\nSuggest these offers when taking a booking and pass their offer_id to confirm_reservation.\n" +
        `- Saint-Valentin (event) [offer_id: ${valentine.id}]: Dîner aux chandelles. For 2 to 6 guests. ` +
        "From February 14, 2025 to February 15, 2025. Set menu: Menu dégustation (€65.00). 20% off. Prepayment of €30.00 per guest."
    )
  })

  it("translates each offer type", () => {
    const types = {
      menu: ["menu", "set menu"],
      promo: ["promotion", "promotion"],
      happy_hour: ["happy hour", "happy hour"],
      evenement: ["événement", "event"]
    } as const
    for (const [type, [fr, en]] of Object.entries(types)) {
      const o = anOffer(2, { type: type as keyof typeof types })
      expect(buildOffersText([o], { today })).toContain(`(${fr})`)
      expect(buildOffersText([o], { language: "en", today })).toContain(`(${en})`)
    }
  })

  it("words open-ended bounds, permanence, a flat or unpriced prepayment", () => {
    const line = (fields: Partial<typeof offer.Create.Encoded>, language: "fr" | "en" = "fr") =>
      buildOffersText([anOffer(3, fields)], { language, today }).split("\n")[2]!
    expect(line({})).toMatch(/ : Offre permanente\.$/)
    expect(line({}, "en")).toMatch(/: Permanent offer\.$/)
    expect(line({ minPartySize: 4, startDate: "2025-03-01" })).toContain(
      "À partir de 4 personnes. À partir du 1 mars 2025."
    )
    expect(line({ maxPartySize: 8, endDate: "2025-03-01" })).toContain("Jusqu'à 8 personnes. Jusqu'au 1 mars 2025.")
    expect(line({ minPartySize: 4, startDate: "2025-03-01" }, "en")).toContain(
      "For 4 guests or more. From March 1, 2025."
    )
    expect(line({ maxPartySize: 8, endDate: "2025-03-01" }, "en")).toContain("For up to 8 guests. Until March 1, 2025.")
    expect(line({ hasPrepayment: true, prepaymentAmount: 50, prepaymentType: "flat" })).toContain(
      "Prépaiement de 50,00 € par réservation."
    )
    expect(line({ hasPrepayment: true, prepaymentAmount: 50, prepaymentType: "flat" }, "en")).toContain(
      "Prepayment of €50.00 per booking."
    )
    expect(line({ hasPrepayment: true })).toMatch(/Prépaiement requis\.$/)
    expect(line({ hasPrepayment: false, prepaymentAmount: 50 })).not.toContain("50")
    expect(line({ menuItemId: uuid(999) })).not.toContain("Formule")
  })

  it("leaves out inactive, unbookable and expired offers, keeps one ending today or not yet started", () => {
    const offers = [
      anOffer(4, { name: "Inactive", isActive: false }),
      anOffer(5, { name: "Sur place", isBookable: false }),
      anOffer(6, { name: "Expirée", endDate: "2025-01-31", isPermanent: false }),
      anOffer(7, { name: "Dernier jour", endDate: today, isPermanent: false }),
      anOffer(8, { name: "Bientôt", startDate: "2025-03-01", isPermanent: false })
    ]
    const names = buildOffersText(offers, { today }).split("\n").slice(2).map((l) => l.split(" (")[0])
    expect(names).toEqual(["- Bientôt", "- Dernier jour"])
    expect(buildOffersText(offers.slice(0, 3), { today })).toBe(
      "## Offres réservables\nAucune offre réservable en ce moment."
    )
    expect(buildOffersText([], { language: "en", today })).toBe("## Bookable offers\nNo bookable offer at the moment.")
  })
})
