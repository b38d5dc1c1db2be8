import type { Schema } from "effect"
import { Effect, Either } from "effect"
import type { SimReply } from "../kit/http-server.js"
import type { Route } from "../kit/router.js"
import { route } from "../kit/router.js"
import type { SimulatorCore } from "./core.js"
import type { Problem, ZenchefRejected } from "./problems.js"
import { decodeValue, fieldProblem, fromEither, reject } from "./problems.js"
import type { Restaurant } from "./state.js"

/** A request already authorised for the restaurant in its path. */
export interface RestaurantRequest {
  readonly core: SimulatorCore
  readonly restaurant: Restaurant
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly body: string
}

/** A request scoped to the API key only (`/restaurants`). */
export interface KeyRequest {
  readonly core: SimulatorCore
  readonly apiKey: string
  readonly params: Readonly<Record<string, string>>
}

export type ApiHandler =
  | {
    readonly _tag: "Restaurant"
    readonly run: (request: RestaurantRequest) => Effect.Effect<SimReply, ZenchefRejected>
  }
  | { readonly _tag: "Key"; readonly run: (request: KeyRequest) => Effect.Effect<SimReply, ZenchefRejected> }

export const restaurantRoute = (
  method: string,
  template: string,
  run: (request: RestaurantRequest) => Effect.Effect<SimReply, ZenchefRejected>
): Route<ApiHandler> => route(method, template, { _tag: "Restaurant", run })

export const keyRoute = (
  method: string,
  template: string,
  run: (request: KeyRequest) => Effect.Effect<SimReply, ZenchefRejected>
): Route<ApiHandler> => route(method, template, { _tag: "Key", run })

const parseJson = (body: string): Either.Either<unknown, Problem> => {
  if (body.trim() === "") return Either.right(undefined)
  try {
    return Either.right(JSON.parse(body) as unknown)
  } catch {
    return Either.left(fieldProblem("$", "The request body is not valid JSON."))
  }
}

/** Decodes a JSON body into a wire type; failures become a 400 ProblemDetails naming each field. */
export const decodeBody = <A, I>(
  schema: Schema.Schema<A, I>,
  body: string,
  closed = false
): Effect.Effect<A, ZenchefRejected> =>
  Effect.flatMap(fromEither(parseJson(body)), (value) => decodeValue(schema, value, closed))

/** An integer path segment, or a 400 naming the parameter. */
export const intParam = (
  request: { readonly params: Readonly<Record<string, string>> },
  name: string,
  min: number,
  max: number
) => {
  const text = request.params[name] ?? ""
  const value = Number(text)
  return /^-?\d+$/.test(text) && value >= min && value <= max
    ? Effect.succeed(value)
    : reject(fieldProblem(name.charAt(0).toUpperCase() + name.slice(1), `must be an integer between ${min} and ${max}`))
}
