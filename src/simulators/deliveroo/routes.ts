import { Clock, Effect, Either, Ref, Schema } from "effect"
import type { SimReply } from "../kit/http-server.js"
import { empty, json } from "../kit/http-server.js"
import { issuesLine } from "../kit/parse-issues.js"
import type { Route } from "../kit/router.js"
import { route } from "../kit/router.js"
import type { TokenBucketLimiter } from "../kit/token-bucket.js"
import type { DeliverooSimCore } from "./core.js"
import { type DeliverooSimRejected, patchStatus, rejected } from "./orders.js"
import { PrepStageBody, StatusUpdateBody, SyncStatusBody } from "./wire.js"

export interface ApiContext {
  readonly core: DeliverooSimCore
  readonly params: Readonly<Record<string, string>>
  readonly body: string
}
export type ApiHandler = (ctx: ApiContext) => Effect.Effect<SimReply, DeliverooSimRejected>

/**
 * A JSON body decoded into `schema`. Open bodies keep unknown keys (a menu is stored whole);
 * closed ones refuse them with a 400, as a documented request schema does.
 */
export const decodeBody = <A, I>(
  schema: Schema.Schema<A, I>,
  body: string,
  closed = false
): Effect.Effect<A, DeliverooSimRejected> =>
  Effect.try({
    try: () => JSON.parse(body === "" ? "null" : body) as unknown,
    catch: () => rejected(400, "bad_request", "body is not JSON")
  }).pipe(
    Effect.flatMap((value) =>
      Either.match(
        Schema.decodeUnknownEither(schema, { onExcessProperty: closed ? "error" : "preserve", errors: "all" })(value),
        {
          onLeft: (e) => Effect.fail(rejected(400, "bad_request", issuesLine(e))),
          onRight: Effect.succeed
        }
      )
    )
  )

export const param = (ctx: ApiContext, name: string) => ctx.params[name] ?? ""

/** Documented per-order limits answer 429 "Too many requests"; ASSUMPTION: without Retry-After. */
const perOrder = (limiter: TokenBucketLimiter, orderId: string) =>
  Effect.flatMap(
    limiter.take(orderId),
    (
      taken
    ) => (taken._tag === "Allowed" ? Effect.void : Effect.fail(rejected(429, "too_many_requests", "Too many requests")))
  )

/** Stages go forward only; a repeated or earlier stage is a 409 (ASSUMPTION: the docs list the order, not the refusal). */
const STAGES = ["in_kitchen", "ready_for_collection_soon", "ready_for_collection", "collected"] as const

export const orderRoutes: ReadonlyArray<Route<ApiHandler>> = [
  // Read one order: v2 (deliveroo.md, corrections: three public clients). The v1 path takes PATCH
  // only, so a GET there is the router's 405.
  route(
    "GET",
    "/order/v2/orders/{orderId}",
    (ctx) => Effect.map(ctx.core.order(param(ctx, "orderId")), (s) => json(200, s.order))
  ),
  // api-docs.deliveroo.com/reference/patch-order-1: 204; 5 per minute per order; once per transition.
  route("PATCH", "/order/v1/orders/{orderId}", (ctx) =>
    Effect.gen(function*() {
      const id = param(ctx, "orderId")
      yield* ctx.core.order(id)
      yield* perOrder(ctx.core.patchLimiter, id)
      const body = yield* decodeBody(StatusUpdateBody, ctx.body, true)
      const now = yield* Clock.currentTimeMillis
      yield* ctx.core.change(id, (s) => Either.map(patchStatus(s.order, body, now), (order) => ({ ...s, order })))
      return empty(204)
    })),
  // api-docs.deliveroo.com/v2.0/reference/create-sync-status-1: once per order, within 3 min; 409 otherwise.
  route("POST", "/order/v1/orders/{orderId}/sync_status", (ctx) =>
    Effect.gen(function*() {
      const id = param(ctx, "orderId")
      yield* ctx.core.order(id)
      yield* perOrder(ctx.core.syncLimiter, id)
      const body = yield* decodeBody(SyncStatusBody, ctx.body, true)
      if (body.status === "failed" && body.reason === undefined) {
        return yield* rejected(400, "bad_request", "reason is required on failure")
      }
      const now = yield* Clock.currentTimeMillis
      const { syncWindowMs } = yield* Ref.get(ctx.core.settings)
      yield* ctx.core.change(id, (s) =>
        s.sync !== null || now - s.placedAt > syncWindowMs
          ? Either.left(
            rejected(409, "conflict", s.sync !== null ? "sync status already set" : "sync status window has closed")
          )
          : Either.right({ ...s, sync: body }))
      return json(200, {})
    })),
  // api-docs.deliveroo.com/docs/prep-stages-endpoint: an accepted order's kitchen progress;
  // `delay` with in_kitchen only; `occurred_at` within the last hour or 5 min ahead.
  route("POST", "/order/v1/orders/{orderId}/prep_stage", (ctx) =>
    Effect.gen(function*() {
      const id = param(ctx, "orderId")
      const body = yield* decodeBody(PrepStageBody, ctx.body, true)
      if (body.delay !== undefined && body.stage !== "in_kitchen") {
        return yield* rejected(400, "bad_request", "delay goes with in_kitchen only")
      }
      const now = yield* Clock.currentTimeMillis
      const at = Date.parse(body.occurred_at)
      if (Number.isNaN(at) || at < now - 3_600_000 || at > now + 300_000) {
        return yield* rejected(400, "bad_request", "occurred_at must be within the last hour")
      }
      yield* ctx.core.change(id, (s) => {
        const last = s.prepStages.at(-1)?.stage
        if (s.order.status !== "accepted" && s.order.status !== "confirmed") {
          return Either.left(rejected(409, "conflict", `order ${id} is ${s.order.status}`))
        }
        if (last !== undefined && STAGES.indexOf(body.stage) <= STAGES.indexOf(last)) {
          return Either.left(rejected(409, "conflict", `stage ${body.stage} after ${last}`))
        }
        return Either.right({ ...s, prepStages: [...s.prepStages, body] })
      })
      return empty(204)
    }))
]
