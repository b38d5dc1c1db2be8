import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { ParseError } from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { fastDecoder } from "../../domain/fast-decode.js"

/**
 * `@effect/sql`'s `SqlSchema` constructors, with the rows decoded by `fastDecoder`: Schema's parser
 * builds an Either, an issue list and union candidates for every field of every row it reads, and
 * these queries run on every inbound event and push. Same signatures and answers; a row that does
 * not decode fails with Schema's own error.
 */
interface Query<IA, II, IR, R, E, Rows> {
  readonly Request: Schema.Schema<IA, II, IR>
  readonly execute: (request: II) => Effect.Effect<Rows, E, R>
}

interface ResultQuery<IA, II, IR, A, AI, AR, R, E> extends Query<IA, II, IR, R, E, ReadonlyArray<unknown>> {
  readonly Result: Schema.Schema<A, AI, AR>
}

const run = <IA, II, IR, R, E, Rows>(options: Query<IA, II, IR, R, E, Rows>) => {
  const encodeRequest = Schema.encode(options.Request)
  return (request: IA) => Effect.flatMap(encodeRequest(request), options.execute)
}

/** Every row, decoded. */
export const findAll = <IR, II, IA, AR, AI, A, R, E>(options: ResultQuery<IA, II, IR, A, AI, AR, R, E>) => {
  const rows = run(options)
  const decode = fastDecoder(Schema.Array(options.Result))
  return (request: IA): Effect.Effect<ReadonlyArray<A>, E | ParseError, R | IR | AR> =>
    Effect.flatMap(rows(request), decode)
}

/** The first row, decoded, if any. */
export const findOne = <IR, II, IA, AR, AI, A, R, E>(options: ResultQuery<IA, II, IR, A, AI, AR, R, E>) => {
  const rows = run(options)
  const decode = fastDecoder(options.Result)
  return (request: IA): Effect.Effect<Option.Option<A>, E | ParseError, R | IR | AR> =>
    Effect.flatMap(rows(request), (all) => all.length > 0 ? Effect.asSome(decode(all[0])) : Effect.succeedNone)
}

/** The first row, decoded; none is a `NoSuchElementException`. */
export const single = <IR, II, IA, AR, AI, A, R, E>(options: ResultQuery<IA, II, IR, A, AI, AR, R, E>) => {
  const rows = run(options)
  const decode = fastDecoder(options.Result)
  return (request: IA): Effect.Effect<A, E | ParseError | Cause.NoSuchElementException, R | IR | AR> =>
    Effect.flatMap(
      rows(request),
      (all): Effect.Effect<A, ParseError | Cause.NoSuchElementException, AR> =>
        all.length > 0 ? decode(all[0]) : Effect.fail(new Cause.NoSuchElementException())
    )
}

const void_ = <IR, II, IA, R, E>(options: Query<IA, II, IR, R, E, unknown>) => {
  const rows = run(options)
  return (request: IA): Effect.Effect<void, E | ParseError, R | IR> => Effect.asVoid(rows(request))
}

export {
  /** Runs the statement, its result left unread. */
  void_ as void
}
