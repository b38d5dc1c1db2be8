import { type MetricPair, MetricState, Option } from "effect"

/**
 * Prometheus text exposition format 0.0.4 from `Metric.snapshot`: effect 3 ships no exporter, and
 * the OpenTelemetry bridge is not installed here. Counters, gauges, histograms and summaries are
 * rendered; frequencies (none defined by this service) are left out.
 */
export const contentType = "text/plain; version=0.0.4; charset=utf-8"

type Family = {
  readonly type: "counter" | "gauge" | "histogram" | "summary"
  readonly help: string
  readonly lines: Array<string>
}

// Effect's own runtime metrics describe fibers, not syncs; an operator does not need them.
const excluded = (name: string) => name.startsWith("effect_fiber_")

const metricName = (name: string) => {
  const cleaned = name.replace(/[^a-zA-Z0-9_:]/g, "_")
  return /^[a-zA-Z_:]/.test(cleaned) ? cleaned : `_${cleaned}`
}
const labelName = (name: string) => {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, "_")
  return /^[a-zA-Z_]/.test(cleaned) ? cleaned : `_${cleaned}`
}
const escapeLabelValue = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n")
const escapeHelp = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")

const formatValue = (value: number | bigint): string => {
  if (typeof value === "bigint") return value.toString()
  if (Number.isNaN(value)) return "NaN"
  if (value === Infinity) return "+Inf"
  if (value === -Infinity) return "-Inf"
  return String(value)
}

const sample = (name: string, labels: ReadonlyArray<readonly [string, string]>, value: number | bigint) => {
  const rendered = labels.map(([k, v]) => `${labelName(k)}="${escapeLabelValue(v)}"`).join(",")
  return `${name}${rendered === "" ? "" : `{${rendered}}`} ${formatValue(value)}`
}

const samplesOf = (
  name: string,
  labels: ReadonlyArray<readonly [string, string]>,
  state: MetricState.MetricState.Untyped
): [Family["type"], Array<string>] | undefined => {
  if (MetricState.isCounterState(state)) return ["counter", [sample(name, labels, state.count)]]
  if (MetricState.isGaugeState(state)) return ["gauge", [sample(name, labels, state.value)]]
  if (MetricState.isHistogramState(state)) {
    // Effect's buckets are already cumulative and end with the +Inf boundary.
    const buckets = state.buckets.map(([le, count]) =>
      sample(`${name}_bucket`, [...labels, ["le", formatValue(le)]], count)
    )
    return ["histogram", [
      ...buckets,
      sample(`${name}_sum`, labels, state.sum),
      sample(`${name}_count`, labels, state.count)
    ]]
  }
  if (MetricState.isSummaryState(state)) {
    const quantiles = state.quantiles.flatMap(([q, v]) =>
      Option.isSome(v) ? [sample(name, [...labels, ["quantile", formatValue(q)]], v.value)] : []
    )
    return ["summary", [
      ...quantiles,
      sample(`${name}_sum`, labels, state.sum),
      sample(`${name}_count`, labels, state.count)
    ]]
  }
  return undefined
}

/** One family per metric name, its `# HELP` and `# TYPE` first and its samples together. */
export const renderPrometheus = (pairs: ReadonlyArray<MetricPair.MetricPair.Untyped>): string => {
  const families = new Map<string, Family>()
  for (const pair of pairs) {
    const key = pair.metricKey
    if (excluded(key.name)) continue
    const name = metricName(key.name)
    const labels = key.tags.map((tag) => [tag.key, tag.value] as const)
    const rendered = samplesOf(name, labels, pair.metricState)
    if (rendered === undefined) continue
    const [type, lines] = rendered
    const family = families.get(name) ?? { type, help: Option.getOrElse(key.description, () => name), lines: [] }
    // Two metrics of different kinds under one name would make the exposition invalid: first wins.
    if (family.type !== type) continue
    family.lines.push(...lines)
    families.set(name, family)
  }
  const out: Array<string> = []
  for (const [name, family] of [...families].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`, ...family.lines)
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`
}
