import { Data, Effect, Either } from "effect"
import type { SimReply } from "../kit/http-server.js"
import { json } from "../kit/http-server.js"

/** SevenRooms' envelope for errors: `{status, msg}` (sevenrooms.md; exact texts unknown). */
export const errorReply = (status: number, msg: string, headers: Readonly<Record<string, string>> = {}): SimReply =>
  json(status, { status, msg }, headers)

export const dataReply = (data: unknown): SimReply => json(200, { status: 200, data })

export class SevenRoomsRejected
  extends Data.TaggedError("SevenRoomsRejected")<{ readonly status: number; readonly msg: string }>
{}

export const rejection = (status: number, msg: string) => new SevenRoomsRejected({ status, msg })
export const reject = (status: number, msg: string) => Effect.fail(rejection(status, msg))

export const fromEither = <A>(e: Either.Either<A, SevenRoomsRejected>): Effect.Effect<A, SevenRoomsRejected> =>
  Either.match(e, { onLeft: Effect.fail, onRight: Effect.succeed })
