import { assert, describe, it } from "@effect/vitest"
import { Effect, Metric, MetricBoundaries } from "effect"
import { renderPrometheus } from "../../src/app/observability/prometheus.js"
import { parsePrometheus, valueOf } from "./metrics-parser.js"

const render = Effect.map(Metric.snapshot, renderPrometheus)

describe("Prometheus text rendering of effect's Metric.snapshot", () => {
  it.effect("counters, gauges and histograms render with HELP, TYPE and escaped labels, and parse back", () =>
    Effect.gen(function*() {
      const tricky = "quote \" backslash \\ newline \n end"
      const counter = Metric.counter("fmt_test_events_total", {
        description: "Events.\nSecond line \\ here",
        incremental: true
      })
      yield* Metric.incrementBy(Metric.tagged(counter, "kind", tricky), 3)
      yield* Metric.increment(Metric.tagged(counter, "kind", "plain"))
      yield* Metric.set(Metric.gauge("fmt_test_depth"), 7)
      const histogram = Metric.histogram("fmt_test_seconds", MetricBoundaries.fromIterable([0.1, 1]), "Durations.")
      for (const v of [0.05, 0.5, 0.7, 3]) yield* Metric.update(Metric.tagged(histogram, "platform", "zenchef"), v)
      yield* Metric.increment(Metric.counter("effect_fiber_fmt_test"))

      const text = yield* render
      const families = parsePrometheus(text)
      assert.strictEqual(families.get("fmt_test_events_total")?.type, "counter")
      assert.strictEqual(families.get("fmt_test_events_total")?.help, "Events.\nSecond line \\ here")
      assert.strictEqual(valueOf(families, "fmt_test_events_total", { kind: tricky }), 3)
      assert.strictEqual(valueOf(families, "fmt_test_events_total", { kind: "plain" }), 1)
      assert.strictEqual(families.get("fmt_test_depth")?.type, "gauge")
      assert.strictEqual(valueOf(families, "fmt_test_depth", {}), 7)
      assert.strictEqual(families.get("fmt_test_seconds")?.type, "histogram")
      const bucket = (le: string) =>
        valueOf(families, "fmt_test_seconds", { platform: "zenchef", le }, "fmt_test_seconds_bucket")
      assert.deepStrictEqual([bucket("0.1"), bucket("1"), bucket("+Inf")], [1, 3, 4])
      assert.strictEqual(valueOf(families, "fmt_test_seconds", { platform: "zenchef" }, "fmt_test_seconds_count"), 4)
      assert.closeTo(valueOf(families, "fmt_test_seconds", { platform: "zenchef" }, "fmt_test_seconds_sum"), 4.25, 1e-9)
      assert.notInclude(text, "effect_fiber_")
      assert.include(text, "kind=\"quote \\\" backslash \\\\ newline \\n end\"")
    }))

  it("the parser is strict: it rejects what a Prometheus server would reject", () => {
    const bad = [
      "a_metric 1", // no final newline
      "1metric 1\n",
      "m{l=\"x} 1\n",
      "m{l=\"\\x\"} 1\n",
      "m{1l=\"x\"} 1\n",
      "m one\n",
      "m 1\nm 2\n",
      "a 1\nb 1\na 2\n",
      "m 1\n# TYPE m counter\n",
      "# TYPE m histogram\nm_bucket{le=\"1\"} 2\nm_bucket{le=\"+Inf\"} 1\nm_sum 1\nm_count 1\n",
      "# TYPE m histogram\nm_bucket{le=\"1\"} 1\nm_sum 1\nm_count 1\n"
    ]
    for (const text of bad) assert.throws(() => parsePrometheus(text), undefined, undefined, JSON.stringify(text))
    assert.strictEqual(
      parsePrometheus("# TYPE m counter\nm{a=\"1\",b=\"2\",} 3 1700000000\n").get("m")?.samples[0]?.value,
      3
    )
  })
})
