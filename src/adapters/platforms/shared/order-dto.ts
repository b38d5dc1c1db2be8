import { Either, ParseResult, Schema } from "effect"
import { OrderSyncDTO } from "../../../domain/dtos.js"
import { MenuItemId } from "../../../domain/ids.js"

/**
 * The last step of every order mapper: the draft is checked against the neutral DTO, so a
 * platform order that would not make a valid local order (no items, an empty name) is refused
 * at the edge with the fields named, never stored half-valid.
 */
/** The DTO plus the entity's rule that an order has at least one item. */
const PlatformOrder = OrderSyncDTO.pipe(
  Schema.filter((o) => o.items.length > 0 || { path: ["items"], message: "an order needs at least one item" })
)

export const validOrder = (draft: unknown): Either.Either<OrderSyncDTO, string> =>
  Either.mapLeft(Schema.decodeUnknownEither(PlatformOrder, { errors: "all" })(draft), (error) => {
    const paths = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => i.path.join(".") || "(root)")
    return `invalid order at ${[...new Set(paths)].slice(0, 5).join(", ")}`
  })

/** Our menu item id when the platform's PLU is one we pushed (a UUID), else null: an item we do not know. */
export const menuItemIdOf = (plu: string | null | undefined): MenuItemId | null =>
  plu === null || plu === undefined ? null : Either.getOrNull(Schema.decodeUnknownEither(MenuItemId)(plu))

/** Joins the non-empty parts; undefined when nothing is left. */
export const joinNotes = (parts: ReadonlyArray<string | null | undefined>, separator = "\n"): string | undefined => {
  const kept = parts.flatMap((p) => (p === null || p === undefined || p.trim() === "" ? [] : [p.trim()]))
  return kept.length === 0 ? undefined : kept.join(separator)
}
