import { FileSystem, HttpApiBuilder, HttpServerRequest, HttpServerResponse, Path } from "@effect/platform"
import { Effect, Metric } from "effect"
import { fileURLToPath } from "node:url"
import { OpsSummary, OpsSummaryView, SummaryQuery } from "../../../ports/ops-summary.js"
import { SyncJobQueue } from "../../../ports/sync-job-queue.js"
import { CurrentCaller } from "../../caller.js"
import { refreshQueueGauges } from "../../observability/metrics.js"
import { contentType as prometheusContentType, renderPrometheus } from "../../observability/prometheus.js"
import { scopeOfList } from "../../services/access.js"
import { ApiKeys } from "../../services/api-keys.js"
import { guarded, refusal } from "../middleware/authentication.js"
import { opsPage } from "./page.js"

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

/**
 * Plain routes beside the HttpApi (EFFECT-FACTS §1): the operator page and its assets, its
 * summary endpoint, and the Prometheus scrape. Services are taken here because a route handler
 * may only require the default services.
 */
export const OpsLive = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const summary = yield* OpsSummary
    const queue = yield* SyncJobQueue
    const keys = yield* ApiKeys
    // Read on first use and kept: the server already listens while this layer is built, and a
    // request arriving before the routes are registered would wait unanswered.
    const read = (name: string) => Effect.cached(Effect.orDie(fs.readFileString(path.join(assetsDir, name))))
    const [script, chart, style] = yield* Effect.all([read("ops.js"), read("ops-chart.js"), read("ops.css")])
    const encodeSummary = HttpServerResponse.schemaJson(OpsSummaryView)

    yield* router.get("/ops", HttpServerResponse.html(opsPage).pipe(HttpServerResponse.setHeaders(pageHeaders)))
    yield* router.get("/ops/ops.js", asset(script, "text/javascript; charset=utf-8"))
    yield* router.get("/ops/ops-chart.js", asset(chart, "text/javascript; charset=utf-8"))
    yield* router.get("/ops/ops.css", asset(style, "text/css; charset=utf-8"))
    // Issue 17: the page's data for operators, within their restaurants.
    yield* router.get(
      "/api/ops/summary",
      guarded(keys, "operator", (caller) =>
        Effect.flatMap(HttpServerRequest.schemaSearchParams(SummaryQuery), (query) =>
          scopeOfList(query.restaurantId).pipe(
            Effect.provideService(CurrentCaller, caller),
            Effect.flatMap((within) =>
              summary.summary(query, within)
            ),
            Effect.flatMap((view) => Effect.orDie(encodeSummary(view))),
            Effect.catchTag("Forbidden", refusal)
          )))
    )
    yield* router.get(
      "/metrics",
      guarded(keys, "operator", () =>
        Effect.gen(function*() {
          yield* refreshQueueGauges(queue)
          const text = renderPrometheus(yield* Metric.snapshot)
          return HttpServerResponse.text(text, { contentType: prometheusContentType })
        }))
    )
  })
)
