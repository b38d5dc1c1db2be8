import { Schema } from "effect"
import * as E from "../../src/domain/entities.js"

/** Valid create payloads (as the HTTP API accepts them), one per entity, for a restaurant. */
export const samples = {
  diningService: (restaurantId: string) => ({
    restaurantId,
    name: "Dîner",
    dayOfWeek: [2, 3, 4, 5, 6],
    startTime: "19:00",
    endTime: "22:30",
    lastSeatingTime: "21:30",
    maxCovers: 40
  }),
  offer: (restaurantId: string) => ({
    restaurantId,
    name: "Menu du marché",
    type: "menu",
    minPartySize: 2,
    maxPartySize: 8
  }),
  diningRoom: (restaurantId: string) => ({ restaurantId, name: "Salle Principale", capacity: 50 }),
  diningTable: (restaurantId: string) => ({ restaurantId, label: "T12", seats: 4 }),
  menuItem: (restaurantId: string) => ({
    restaurantId,
    name: "Tarte Tatin",
    price: 9.5,
    category: "Desserts",
    allergens: ["gluten", "lait"],
    options: [{
      name: "Accompagnement",
      required: false,
      maxChoices: 1,
      choices: [{ name: "Crème fraîche", priceDelta: 1.5 }]
    }]
  }),
  customer: (restaurantId: string) => ({
    restaurantId,
    name: "Ana Ruiz",
    phone: "+33612345678",
    email: "ana@example.com",
    allergies: ["peanuts"]
  }),
  reservation: (restaurantId: string) => ({
    restaurantId,
    customerName: "Ana Ruiz",
    customerPhone: "+33612345678",
    partySize: 4,
    reservationTime: "2030-06-07T17:30:00.000Z",
    allergies: ["gluten"]
  }),
  order: (restaurantId: string) => ({
    restaurantId,
    type: "delivery",
    customerName: "Ana Ruiz",
    items: [{ menuItemId: null, name: "Tarte Tatin", quantity: 2, unitPrice: 9.5, options: [] }],
    total: 19,
    deliveryAddress: {
      street: "1 rue de Rivoli",
      city: "Paris",
      postalCode: "75001",
      country: "FR",
      instructions: null
    }
  })
}

/** A sample as the repositories take it: decoded by its entity's Create Schema, as the API does. */
export const decodeCreate = (kind: keyof typeof samples, restaurantId: string): unknown =>
  Schema.decodeUnknownSync(E[kind].Create as unknown as Schema.Schema<unknown, unknown>)(samples[kind](restaurantId))

export { E }
