import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Path from "@effect/platform/Path"
import { Effect, Metric, Option, Redacted, Schema } from "effect"
import { timingSafeEqual } from "node:crypto"
import { fileURLToPath } from "node:url"
import { OpsSummary, OpsSummaryView, SummaryQuery } from "../../../ports/ops-summary.js"
import { SyncJobQueue } from "../../../ports/sync-job-queue.js"
import { CurrentCaller } from "../../caller.js"
import { refreshQueueGauges } from "../../observability/metrics.js"
import { contentType as prometheusContentType, renderPrometheus } from "../../observability/prometheus.js"
import { scopeOfList } from "../../services/access.js"
import { sessionLifetimeSeconds } from "../../services/ops-sessions.js"
import { Gate, guarded, refusal } from "../middleware/authentication.js"
import { opsPage } from "./page.js"
import { fromThisSite, sessionCookie } from "./session-cookie.js"

const assetsDir = fileURLToPath(new URL("./assets", import.meta.url))

// The page loads its own script and style only, and is never framed (no clickjacking of Replay).
const pageHeaders = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "cache-control": "no-cache"
}

const asset = (text: Effect.Effect<string>, contentType: string) =>
  Effect.map(
    text,
    (body) =>
      HttpServerResponse.text(body, {
        contentType,
        headers: { "cache-control": "no-cache", "x-content-type-options": "nosniff" }
      })
  )

/** POST /ops/session: the key the operator types once. */
const SignIn = Schema.Struct({ key: Schema.String.pipe(Schema.maxLength(200)) })

const forbiddenOrigin = HttpServerResponse.json(
  { _tag: "Forbidden", message: "sign in from this site's operator page" },
  { status: 403 }
).pipe(Effect.orDie)

/** Whether a bearer token is the scraper's METRICS_TOKEN, compared in constant time. */
const isMetricsToken = (expected: Option.Option<Redacted.Redacted<string>>) =>
  Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
    if (Option.isNone(expected)) return false
    const header = request.headers.authorization ?? ""
    const given = Buffer.from(header.toLowerCase().startsWith("bearer ") ? header.slice("bearer ".length) : "")
    const wanted = Buffer.from(Redacted.value(expected.value))
    return given.length === wanted.length && timingSafeEqual(given, wanted)
  })

export interface OpsOptions {
  /** Issue 17: a token /metrics accepts besides an operator key (METRICS_TOKEN). */
  readonly metricsToken?: Option.Option<Redacted.Redacted<string>> | undefined
}

/**
 * Plain routes beside the HttpApi (EFFECT-FACTS §1): the operator page and its assets, its
 * sign-in, its summary endpoint, and the Prometheus scrape. Services are taken here because a
 * route handler may only require the default services.
 */
export const OpsLive = (options: OpsOptions = {}) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const summary = yield* OpsSummary
      const queue = yield* SyncJobQueue
      const gate = yield* Gate
      // Read on first use and kept: the server already listens while this layer is built, and a
      // request arriving before the routes are registered would wait unanswered.
      const read = (name: string) => Effect.cached(Effect.orDie(fs.readFileString(path.join(assetsDir, name))))
      const [script, chart, style] = yield* Effect.all([read("ops.js"), read("ops-chart.js"), read("ops.css")])
      const encodeSummary = HttpServerResponse.schemaJson(OpsSummaryView)

      yield* router.get("/ops", HttpServerResponse.html(opsPage).pipe(HttpServerResponse.setHeaders(pageHeaders)))
      yield* router.get("/ops/ops.js", asset(script, "text/javascript; charset=utf-8"))
      yield* router.get("/ops/ops-chart.js", asset(chart, "text/javascript; charset=utf-8"))
      yield* router.get("/ops/ops.css", asset(style, "text/css; charset=utf-8"))
      // Issue 17: the page asks for a key once and keeps a session cookie, never the key itself.
      yield* router.post(
        "/ops/session",
        Effect.gen(function*() {
          const request = yield* HttpServerRequest.HttpServerRequest
          // Signing in is refused from another site too: it would sign the operator's browser into
          // the sender's key.
          if (!fromThisSite(request)) return yield* forbiddenOrigin
          const given = yield* HttpServerRequest.schemaBodyJson(SignIn)
          const caller = yield* gate.keys.authenticate(Redacted.make(given.key), "operator")
          const id = yield* gate.sessions.open(caller)
          const secure = request.headers["x-forwarded-proto"] === "https"
          return yield* HttpServerResponse.json({ name: caller.name, role: caller.role }).pipe(
            Effect.flatMap(HttpServerResponse.setCookie(sessionCookie, Redacted.value(id), {
              httpOnly: true,
              sameSite: "strict",
              path: "/",
              maxAge: `${sessionLifetimeSeconds} seconds`,
              secure
            })),
            Effect.orDie
          )
        }).pipe(Effect.catchTags({ Unauthorized: refusal, Forbidden: refusal }))
      )
      // The page asks first whether its cookie still opens a session: a signed-out page then shows
      // the sign-in form without a burst of 401s.
      yield* router.get(
        "/ops/session",
        Effect.gen(function*() {
          const request = yield* HttpServerRequest.HttpServerRequest
          const id = Redacted.make(request.cookies[sessionCookie] ?? "")
          const caller = yield* Effect.option(gate.sessions.authenticate(id, "operator"))
          return yield* HttpServerResponse.json(
            Option.match(caller, {
              onNone: () => ({ signedIn: false }),
              onSome: (c) => ({ signedIn: true, name: c.name, role: c.role })
            }),
            { headers: { "cache-control": "no-store" } }
          ).pipe(Effect.orDie)
        })
      )
      yield* router.del(
        "/ops/session",
        Effect.gen(function*() {
          const request = yield* HttpServerRequest.HttpServerRequest
          const id = request.cookies[sessionCookie]
          if (id !== undefined) yield* gate.sessions.close(Redacted.make(id))
          return yield* HttpServerResponse.empty({ status: 204 }).pipe(
            HttpServerResponse.expireCookie(sessionCookie, { path: "/" }),
            Effect.orDie
          )
        })
      )
      // Issue 17: the page's data for operators, within their restaurants.
      yield* router.get(
        "/api/ops/summary",
        guarded(gate, "operator", (caller) =>
          Effect.flatMap(
            HttpServerRequest.schemaSearchParams(SummaryQuery, { errors: "all", onExcessProperty: "error" }),
            (query) =>
              scopeOfList(query.restaurantId).pipe(
                Effect.provideService(CurrentCaller, caller),
                Effect.flatMap((within) => summary.summary(query, within)),
                Effect.flatMap((view) => Effect.orDie(encodeSummary(view))),
                Effect.catchTag("Forbidden", refusal)
              )
          ))
      )
      const metrics = Effect.gen(function*() {
        yield* refreshQueueGauges(queue)
        const text = renderPrometheus(yield* Metric.snapshot)
        return HttpServerResponse.text(text, { contentType: prometheusContentType })
      })
      // Issue 17: an operator key, or the scraper's METRICS_TOKEN.
      yield* router.get(
        "/metrics",
        Effect.flatMap(
          isMetricsToken(options.metricsToken ?? Option.none()),
          (scraper) => scraper ? metrics : guarded(gate, "operator", () => metrics)
        )
      )
    })
  )
