import { Schema } from "effect"

/**
 * A request's payload or query decoded to every field that breaks a rule, not the first one only
 * (Schema's default): the 400 names them all, so a client fixes its request in one round. A field
 * the route does not define is one of them: a misspelt `partysize` would otherwise be dropped and
 * the change it carried lost without a word.
 */
export const everyIssue = <S extends Schema.Schema.Any>(schema: S): S =>
  schema.annotations({ parseOptions: { errors: "all", onExcessProperty: "error" } }) as S

/**
 * The query of a route that takes none: any field in it is refused like a misspelt one, so a
 * filter sent to the wrong route is never silently dropped.
 */
export const NoQuery = everyIssue(
  Schema.Struct({}).pipe(
    // An empty Struct takes any record, excess fields included: each is refused here instead.
    Schema.filter((query) =>
      Object.keys(query).map((key) => ({ path: [key], message: "is not a field of this request" }))
    )
  )
)
