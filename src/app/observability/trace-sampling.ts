import type { Context, Exit } from "effect"
import { Option, Tracer } from "effect"
import { randomBytes } from "node:crypto"

/**
 * Which traces are exported, by OpenTelemetry's SDK variables (`OTEL_TRACES_SAMPLER`,
 * `OTEL_TRACES_SAMPLER_ARG`), so a collector's usual settings apply unchanged. At a thousand
 * webhooks a second, exporting every trace is a cost that operators choose to pay or not.
 */
export const traceSamplers = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio"
] as const

export type TraceSamplerName = typeof traceSamplers[number]

export interface TraceSampling {
  readonly sampler: TraceSamplerName
  /** The share of traces kept by the `traceidratio` samplers, from 0 to 1. */
  readonly ratio: number
}

/** OpenTelemetry's default: every trace, unless the caller's `traceparent` says it is not sampled. */
export const defaultTraceSampling: TraceSampling = { sampler: "parentbased_always_on", ratio: 1 }

const ratioRange = 2 ** 32

/**
 * A function of the trace id alone, so every span of a trace, in any thread or instance that uses
 * the same ratio, decides alike. The id's last 8 hex digits are random under W3C Trace Context.
 */
const keptByRatio = (traceId: string, ratio: number): boolean => {
  if (ratio >= 1) return true
  if (ratio <= 0) return false
  const low = Number.parseInt(traceId.slice(-8), 16)
  return Number.isFinite(low) && low < ratio * ratioRange
}

/** Whether a span of `traceId` under `parent` is sampled (and so exported). */
export const isSampled = (sampling: TraceSampling, parent: Option.Option<Tracer.AnySpan>, traceId: string): boolean => {
  const parentBased = sampling.sampler.startsWith("parentbased_")
  if (parentBased && Option.isSome(parent)) return parent.value.sampled
  switch (sampling.sampler) {
    case "always_on":
    case "parentbased_always_on":
      return true
    case "always_off":
    case "parentbased_always_off":
      return false
    case "traceidratio":
    case "parentbased_traceidratio":
      return keptByRatio(traceId, sampling.ratio)
  }
}

const neverRecorded: ReadonlyMap<string, unknown> = new Map()

/**
 * A span that is not exported: it keeps its ids, so log lines and the `traceparent` a job carries
 * still name the trace (flagged not sampled, so its children are not exported either), and records
 * nothing else.
 */
class UnsampledSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly sampled = false
  readonly spanId = randomBytes(8).toString("hex")
  readonly attributes = neverRecorded
  readonly links: ReadonlyArray<Tracer.SpanLink> = []
  status: Tracer.SpanStatus

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    readonly traceId: string,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.status = { _tag: "Started", startTime }
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }

  attribute(): void {}
  event(): void {}
  addLinks(): void {}
}

/**
 * `exporting` (the OTLP tracer, which exports every span it makes when it ends) behind a sampler:
 * an unsampled span is never handed to it. A root span is made by it first, for its trace id; when
 * that trace is not kept the span is dropped before it ends, so it is never exported.
 */
export const sampledTracer = (exporting: Tracer.Tracer, sampling: TraceSampling): Tracer.Tracer =>
  sampling.sampler === "always_on" ? exporting : Tracer.make({
    span(name, parent, context, links, startTime, kind, options) {
      if (Option.isSome(parent)) {
        const traceId = parent.value.traceId
        return isSampled(sampling, parent, traceId)
          ? exporting.span(name, parent, context, links, startTime, kind, options)
          : new UnsampledSpan(name, parent, context, traceId, startTime, kind)
      }
      const root = exporting.span(name, parent, context, links, startTime, kind, options)
      return isSampled(sampling, parent, root.traceId)
        ? root
        : new UnsampledSpan(name, parent, context, root.traceId, startTime, kind)
    },
    context: exporting.context
  })
