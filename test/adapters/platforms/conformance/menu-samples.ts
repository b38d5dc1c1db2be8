import type { MenuSyncDTO } from "../../../../src/domain/dtos.js"

const ALLERGENS = [
  "gluten",
  "milk",
  "eggs",
  "nuts",
  "peanuts",
  "soy",
  "fish",
  "crustaceans",
  "celery",
  "mustard",
  "sesame",
  "sulphites"
]
const CATEGORIES = ["Starters", "Mains", "Desserts", "Drinks", "Sides"]

/**
 * A menu of `count` items, each with two options of three choices, one to three allergens and
 * a price with cents, spread over five categories; every tenth item is out of stock.
 */
export const sampleMenu = (count: number, currency = "EUR"): MenuSyncDTO => {
  const items = Array.from({ length: count }, (_, n) => ({
    localId: crypto.randomUUID(),
    name: `Dish number ${n + 1}`,
    description: `House dish ${n + 1}, made fresh every day`,
    price: Number((4 + n * 0.35 + 0.05).toFixed(2)),
    currency,
    category: CATEGORIES[n % CATEGORIES.length] as string,
    allergens: ALLERGENS.slice(n % ALLERGENS.length, (n % ALLERGENS.length) + 1 + (n % 3)),
    options: [
      {
        name: "Size",
        required: true,
        maxChoices: 1,
        choices: [{ name: "Regular", priceDelta: 0 }, { name: "Large", priceDelta: 2.5 }, {
          name: "Family",
          priceDelta: 6.9
        }]
      },
      {
        name: "Extras",
        required: false,
        maxChoices: 3,
        choices: [{ name: "Cheese", priceDelta: 1.2 }, { name: "Bacon", priceDelta: 1.8 }, {
          name: "Avocado",
          priceDelta: 2.1
        }]
      }
    ],
    isAvailable: n % 10 !== 9
  }))
  return {
    categories: CATEGORIES.map((name) => ({
      name,
      itemLocalIds: items.filter((i) => i.category === name).map((i) => i.localId)
    })),
    items,
    offers: []
  }
}
