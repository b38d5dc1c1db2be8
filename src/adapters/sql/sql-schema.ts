import * as SqlClient from "@effect/sql/SqlClient"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { ParseError } from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { fastDecoder } from "../../domain/fast-decode.js"
import { inOwnContext } from "../own-context.js"

/**
 * `@effect/sql`'s `SqlSchema` constructors, with the rows decoded by `fastDecoder`: Schema's parser
 * builds an Either, an issue list and union candidates for every field of every row it reads, and
 * these queries run on every inbound event and push. Same answers; a row that does not decode
 * fails with Schema's own error. Unlike theirs, a statement here needs no service: it runs with its
 * transaction and span only (`inOwnContext`).
 */
interface Query<IA, II, IR, E, Rows> {
  readonly Request: Schema.Schema<IA, II, IR>
  /** The statement; it needs no service (the client is the adapter's own), so it runs in a context of its own. */
  readonly execute: (request: II) => Effect.Effect<Rows, E>
}

interface ResultQuery<IA, II, IR, A, AI, AR, E> extends Query<IA, II, IR, E, ReadonlyArray<unknown>> {
  readonly Result: Schema.Schema<A, AI, AR>
}

/** A statement needs the transaction it runs in, if any; nothing else of its caller's context. */
const statementContext = inOwnContext(SqlClient.TransactionConnection)

const run = <IA, II, IR, E, Rows>(options: Query<IA, II, IR, E, Rows>) => {
  const encodeRequest = Schema.encode(options.Request)
  return (request: IA) =>
    Effect.flatMap(encodeRequest(request), (encoded) => statementContext(options.execute(encoded)))
}

/** Every row, decoded. */
export const findAll = <IR, II, IA, AR, AI, A, E>(options: ResultQuery<IA, II, IR, A, AI, AR, E>) => {
  const rows = run(options)
  const decode = fastDecoder(Schema.Array(options.Result))
  return (request: IA): Effect.Effect<ReadonlyArray<A>, E | ParseError, IR | AR> =>
    Effect.flatMap(rows(request), decode)
}

/** The first row, decoded, if any. */
export const findOne = <IR, II, IA, AR, AI, A, E>(options: ResultQuery<IA, II, IR, A, AI, AR, E>) => {
  const rows = run(options)
  const decode = fastDecoder(options.Result)
  return (request: IA): Effect.Effect<Option.Option<A>, E | ParseError, IR | AR> =>
    Effect.flatMap(rows(request), (all) => all.length > 0 ? Effect.asSome(decode(all[0])) : Effect.succeedNone)
}

/** The first row, decoded; none is a `NoSuchElementException`. */
export const single = <IR, II, IA, AR, AI, A, E>(options: ResultQuery<IA, II, IR, A, AI, AR, E>) => {
  const rows = run(options)
  const decode = fastDecoder(options.Result)
  return (request: IA): Effect.Effect<A, E | ParseError | Cause.NoSuchElementException, IR | AR> =>
    Effect.flatMap(
      rows(request),
      (all): Effect.Effect<A, ParseError | Cause.NoSuchElementException, AR> =>
        all.length > 0 ? decode(all[0]) : Effect.fail(new Cause.NoSuchElementException())
    )
}

const void_ = <IR, II, IA, E>(options: Query<IA, II, IR, E, unknown>) => {
  const rows = run(options)
  return (request: IA): Effect.Effect<void, E | ParseError, IR> => Effect.asVoid(rows(request))
}

export {
  /** Runs the statement, its result left unread. */
  void_ as void
}
