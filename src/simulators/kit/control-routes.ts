import { Effect, Schema } from "effect"
import type { FaultControl, QueueControl } from "./control.js"
import { RetrySettings } from "./delivery-queue.js"
import { FaultSettings } from "./faults.js"
import type { SimReply, SimRequest } from "./http-server.js"
import { empty, json } from "./http-server.js"
import { makeRouter, type Route, route } from "./router.js"
import { RateLimitSettings } from "./token-bucket.js"

/** A simulator's JSON control API (`/_sim/...`): the handle's operations, for a simulator run by the CLI. */
export interface ControlRequest {
  readonly params: Readonly<Record<string, string>>
  readonly body: string
}

export type ControlHandler<E> = (request: ControlRequest) => Effect.Effect<SimReply, E>

export const ok = (value: unknown) => json(200, value)
export const done = Effect.as(empty(204))
export const param = (request: ControlRequest, name: string) => request.params[name] ?? ""

const WebhookOptions = Schema.Struct({
  duplicate: Schema.optional(Schema.Boolean),
  reorder: Schema.optional(Schema.Boolean),
  retry: Schema.optional(RetrySettings)
})

/** Decodes a control body in the platform's own way, failing with its own refusal. */
export type BodyDecoder<E> = <A, I>(schema: Schema.Schema<A, I>, body: string) => Effect.Effect<A, E>

export interface CommonControl extends FaultControl {
  readonly webhooks: QueueControl
  readonly counters: Effect.Effect<unknown>
  readonly resetCounters: Effect.Effect<void>
}

/** The control routes every simulator has: faults, rate limit, the webhook queue and counters. */
export const commonControlRoutes = <E>(
  control: CommonControl,
  body: BodyDecoder<E>
): ReadonlyArray<Route<ControlHandler<E>>> => [
  route<ControlHandler<E>>(
    "PUT",
    "/faults",
    (r) => Effect.flatMap(body(FaultSettings, r.body), (f) => done(control.setFaults(f)))
  ),
  route<ControlHandler<E>>("DELETE", "/faults", () => done(control.clearFaults)),
  route<ControlHandler<E>>(
    "PUT",
    "/rate-limit",
    (r) => Effect.flatMap(body(Schema.NullOr(RateLimitSettings), r.body), (s) => done(control.setRateLimit(s)))
  ),
  route<ControlHandler<E>>(
    "PUT",
    "/webhooks",
    (r) => Effect.flatMap(body(WebhookOptions, r.body), (o) => done(control.webhooks.configure(o)))
  ),
  route<ControlHandler<E>>("POST", "/webhooks/flush", () => done(control.webhooks.flush)),
  route<ControlHandler<E>>("GET", "/webhooks/attempts", () => Effect.map(control.webhooks.attempts, ok)),
  route<ControlHandler<E>>("GET", "/counters", () => Effect.map(control.counters, ok)),
  route<ControlHandler<E>>("DELETE", "/counters", () => done(control.resetCounters))
]

/**
 * Serves `routes` under `base`; `notFound` and `refused` answer in the platform's error envelope.
 * `GET base` lists the routes: the CLI prints the base alone, and that is where a newcomer looks.
 */
export const controlHandler = <E>(
  base: string,
  routes: ReadonlyArray<Route<ControlHandler<E>>>,
  notFound: (request: SimRequest) => SimReply,
  refused: (e: E) => SimReply
) => {
  const router = makeRouter(routes)
  const index = ok({ routes: routes.map((r) => `${r.method} ${base}${r.template}`) })
  return (request: SimRequest): Effect.Effect<SimReply> => {
    const path = request.path.slice(base.length)
    if (request.method === "GET" && (path === "" || path === "/")) return Effect.succeed(index)
    const lookup = router(request.method, path)
    if (lookup._tag !== "Found") return Effect.succeed(notFound(request))
    return lookup.match.route.handler({ params: lookup.match.params, body: request.body }).pipe(
      Effect.catchAll((e) => Effect.succeed(refused(e)))
    )
  }
}
