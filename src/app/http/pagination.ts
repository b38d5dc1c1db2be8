import { Schema } from "effect"
import { RestaurantId } from "../../domain/ids.js"

export const PageParams = {
  restaurantId: Schema.optional(RestaurantId),
  limit: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 500)), { default: () => 50 }),
  offset: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative()), { default: () => 0 })
}

export const PageOf = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    items: Schema.Array(item),
    total: Schema.Int,
    limit: Schema.Int,
    offset: Schema.Int
  })
