import { Effect } from "effect"
import { type DeliverooSimRejected, rejected } from "./orders.js"
import type { MenuUpload } from "./wire.js"

const outside = (value: string, min: number, max: number) => value.length < min || value.length > max

/** Documented text limits: item names 2–120, item descriptions ≤ 500, category names 3–120. */
export const checkMenuText = (upload: MenuUpload): Effect.Effect<void, DeliverooSimRejected> => {
  const problems = [
    ...upload.menu.items.flatMap((i) => [
      ...Object.values(i.name ?? {}).filter((n) => outside(n, 2, 120)).map((n) => `item ${i.id}: name "${n.slice(0, 30)}" must be 2-120 characters`),
      ...Object.values(i.description ?? {}).filter((d) => d.length > 500).map(() => `item ${i.id}: description over 500 characters`)
    ]),
    ...upload.menu.categories.flatMap((c) =>
      Object.values(c.name ?? {}).filter((n) => outside(n, 3, 120)).map((n) => `category ${c.id}: name "${n.slice(0, 30)}" must be 3-120 characters`))
  ]
  return problems.length === 0 ? Effect.void : Effect.fail(rejected(400, "bad_request", problems.slice(0, 5).join("; ")))
}
