/** An order as an eater places it on the platform; prices are decimals, option prices included in none. */
export interface OrderSample {
  readonly customerFirstName: string
  readonly type: "delivery" | "pickup"
  readonly notes: string
  readonly items: ReadonlyArray<{
    readonly plu: string
    readonly name: string
    readonly quantity: number
    readonly unitPrice: number
    readonly options: ReadonlyArray<{ readonly group: string; readonly name: string; readonly price: number }>
  }>
}

export const sampleOrder = (): OrderSample => ({
  customerFirstName: "Camille",
  type: "delivery",
  notes: "Nut allergy",
  items: [
    {
      plu: crypto.randomUUID(),
      name: "Veggie Burger",
      quantity: 2,
      unitPrice: 11.5,
      options: [{ group: "Sides", name: "Fries", price: 2.5 }]
    },
    { plu: crypto.randomUUID(), name: "Lemonade", quantity: 1, unitPrice: 3.2, options: [] }
  ]
})
