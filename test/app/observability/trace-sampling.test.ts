import { Context, Effect, Exit, Option, Tracer } from "effect"
import { randomBytes } from "node:crypto"
import { describe, expect, it } from "vitest"
import { traceParentOf } from "../../../src/app/observability/telemetry.js"
import {
  defaultTraceSampling,
  isSampled,
  sampledTracer,
  type TraceSampling
} from "../../../src/app/observability/trace-sampling.js"
import { appSettingFrom } from "../../support/app-config.js"

const traceId = () => randomBytes(16).toString("hex")
const remote = (sampled: boolean) => Tracer.externalSpan({ traceId: traceId(), spanId: "00f067aa0ba902b7", sampled })

/** What the OTLP tracer does that matters here: every span it makes is exported when it ends. */
const exportingTracer = () => {
  const exported: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        parent,
        context,
        links,
        kind,
        sampled: true,
        traceId: Option.isSome(parent) ? parent.value.traceId : traceId(),
        spanId: randomBytes(8).toString("hex"),
        status: { _tag: "Started", startTime },
        attributes: new Map(),
        end: () => exported.push(span),
        attribute: () => {},
        event: () => {},
        addLinks: () => {}
      }
      return span
    },
    context: (f) => f()
  })
  return { tracer, exported }
}

/** A root span and its child under `sampling`: the spans exported, and what the child saw of itself. */
const rootAndChild = (sampling: TraceSampling, parent?: Tracer.AnySpan) => {
  const { tracer, exported } = exportingTracer()
  const child = Effect.withSpan(Effect.currentSpan, "child")
  const root = Effect.withSpan(
    Effect.zip(Effect.currentSpan, child),
    "root",
    parent === undefined ? {} : { parent }
  )
  const [rootSpan, childSpan] = Effect.runSync(Effect.withTracer(root, sampledTracer(tracer, sampling)))
  return { exported: exported.map((s) => s.name), rootSpan, childSpan }
}

describe("trace sampling (OTEL_TRACES_SAMPLER)", () => {
  it("keeps the given share of traces with traceidratio, always alike for one trace id", () => {
    const ids = Array.from({ length: 4_000 }, traceId)
    const kept = (ratio: number) =>
      ids.filter((id) => isSampled({ sampler: "traceidratio", ratio }, Option.none(), id)).length
    expect(kept(0)).toBe(0)
    expect(kept(1)).toBe(ids.length)
    expect(kept(0.25) / ids.length).toBeGreaterThan(0.2)
    expect(kept(0.25) / ids.length).toBeLessThan(0.3)
    for (const id of ids.slice(0, 100)) {
      const sampling = { sampler: "traceidratio", ratio: 0.5 } as const
      expect(isSampled(sampling, Option.none(), id)).toBe(isSampled(sampling, Option.some(remote(false)), id))
    }
  })

  it("follows the parent's decision when parent-based, whatever it would decide for a root", () => {
    for (const sampler of ["parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"] as const) {
      const sampling = { sampler, ratio: 0.5 }
      expect(isSampled(sampling, Option.some(remote(true)), traceId())).toBe(true)
      expect(isSampled(sampling, Option.some(remote(false)), traceId())).toBe(false)
    }
    expect(isSampled({ sampler: "parentbased_always_off", ratio: 1 }, Option.none(), traceId())).toBe(false)
    expect(isSampled({ sampler: "always_on", ratio: 1 }, Option.some(remote(false)), traceId())).toBe(true)
    expect(isSampled({ sampler: "always_off", ratio: 1 }, Option.some(remote(true)), traceId())).toBe(false)
  })

  it("exports no span of a trace it does not keep, yet its spans keep one trace id", () => {
    const { childSpan, exported, rootSpan } = rootAndChild({ sampler: "parentbased_traceidratio", ratio: 0 })
    expect(exported).toEqual([])
    expect(rootSpan.sampled).toBe(false)
    expect(childSpan.sampled).toBe(false)
    expect(rootSpan.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(childSpan.traceId).toBe(rootSpan.traceId)
    expect(childSpan.spanId).not.toBe(rootSpan.spanId)
    // What a job carries says "not sampled", so the attempt that applies it is not exported either.
    expect(traceParentOf(rootSpan)).toMatch(/-00$/)
  })

  it("exports a trace the caller sampled, with the caller's trace id, at a ratio of 0", () => {
    const caller = remote(true)
    const { childSpan, exported, rootSpan } = rootAndChild({ sampler: "parentbased_traceidratio", ratio: 0 }, caller)
    expect(exported).toEqual(["child", "root"])
    expect(rootSpan.traceId).toBe(caller.traceId)
    expect(childSpan.traceId).toBe(caller.traceId)
  })

  it("exports nothing below a caller's unsampled span by default, and everything otherwise", () => {
    expect(rootAndChild(defaultTraceSampling, remote(false)).exported).toEqual([])
    expect(rootAndChild(defaultTraceSampling).exported).toEqual(["child", "root"])
    expect(rootAndChild({ sampler: "always_on", ratio: 1 }, remote(false)).exported).toEqual(["child", "root"])
  })

  it("keeps an unsampled span's context for the spans and services below it", () => {
    const { tracer } = exportingTracer()
    const context = Context.empty()
    const span = sampledTracer(tracer, { sampler: "always_off", ratio: 1 }).span(
      "root",
      Option.none(),
      context,
      [],
      0n,
      "server"
    )
    span.attribute("restaurantId", "resto-1")
    span.end(1n, Exit.void)
    expect(span.context).toBe(context)
    expect(span.attributes.size).toBe(0)
    expect(span.status._tag).toBe("Ended")
  })
})

describe("OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG", () => {
  const read = (env: Record<string, string>) =>
    appSettingFrom(env, (config) => ({ sampler: config.otelTracesSampler, ratio: config.otelTracesSamplerArg }))

  it("default to OpenTelemetry's parentbased_always_on, and read the ratio samplers", () => {
    expect(read({})).toEqual(Exit.succeed(defaultTraceSampling))
    expect(read({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1" })).toEqual(
      Exit.succeed({ sampler: "parentbased_traceidratio", ratio: 0.1 })
    )
    // OpenTelemetry reads its enumerations in any case.
    expect(read({ OTEL_TRACES_SAMPLER: " TraceIdRatio ", OTEL_TRACES_SAMPLER_ARG: "0.5" })).toEqual(
      Exit.succeed({ sampler: "traceidratio", ratio: 0.5 })
    )
  })

  it("refuse a sampler they do not know and a ratio outside 0 to 1", () => {
    const refused: ReadonlyArray<Record<string, string>> = [
      { OTEL_TRACES_SAMPLER: "jaeger_remote" },
      { OTEL_TRACES_SAMPLER: "sometimes" },
      { OTEL_TRACES_SAMPLER_ARG: "1.5" },
      { OTEL_TRACES_SAMPLER_ARG: "-0.1" },
      { OTEL_TRACES_SAMPLER_ARG: "a tenth" }
    ]
    for (const env of refused) {
      expect(Exit.isFailure(read(env)), JSON.stringify(env)).toBe(true)
    }
  })
})
