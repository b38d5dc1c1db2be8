import { Number as Num } from "effect"
import { defaultTraceSampling } from "../src/app/observability/trace-sampling.js"
import { apiWritesAt, type ApiWritesLevel } from "./apiwrites.js"
import type { LoadLevel } from "./inbound.js"
import type { OtlpReceived } from "./lib/otlp-receiver.js"
import { coresBusyText, type OutboundResult } from "./outbound.js"
import type { PgbenchResult } from "./pgbench.js"
import type { QueryCount } from "./queries.js"

export interface BenchResults {
  readonly date: string
  readonly machine: {
    readonly cpu: string
    readonly cores: number
    readonly memoryGb: number
    readonly node: string
    readonly postgres: string
    /** 1-minute load average before and after: other work on a shared machine skews every figure. */
    readonly loadAverage: { readonly before: number; readonly after: number }
  }
  readonly settings: Readonly<Record<string, number | string>>
  readonly pgbench: ReadonlyArray<PgbenchResult>
  readonly baseline: ReadonlyArray<LoadLevel>
  readonly inbound: ReadonlyArray<LoadLevel>
  /** The inbound levels again with OTLP export on (issue 22), from a service process of its own. */
  readonly inboundOtlp: OtlpInbound | null
  readonly outbound: OutboundResult | null
  /** The same run with loose limits (BENCH_RAW_RATE_WINDOW_MS): raw write-and-push speed. */
  readonly outboundRaw: OutboundResult | null
  readonly queries: ReadonlyArray<QueryCount>
  readonly apiWrites: ReadonlyArray<ApiWritesLevel>
  readonly memory: {
    readonly servicePeakRssMb: number | null
    readonly baselinePeakRssMb: number | null
    readonly apiBaselinePeakRssMb: number | null
    /** Each thread's heap peaks (bench/lib/memory-probe.mjs); RSS is the process's, on its main thread. */
    readonly threads: ReadonlyArray<
      {
        readonly server: string
        readonly threadId: number
        readonly heapCommittedMb: number
        readonly externalMb: number
        readonly rssMb?: number
        readonly new_spaceMb?: number
        readonly old_spaceMb?: number
      }
    >
  }
  /** Issue 22: the targets' figures, flat, for tools (null when the part did not run). */
  readonly targets: TargetFigures
  readonly judged: ReadonlyArray<{ readonly target: string; readonly measured: string; readonly met: boolean }>
  readonly notes: ReadonlyArray<string>
}

export interface OtlpInbound {
  readonly levels: ReadonlyArray<LoadLevel>
  /**
   * The level at 64 once more with export on, then once more off (off, on, on, off in all): each
   * level runs on the database the ones before it grew, and the order cancels that drift.
   */
  readonly again: { readonly on: LoadLevel; readonly off: LoadLevel } | null
  /** What the loopback receiver was sent: proof that the run exported. */
  readonly traces: OtlpReceived
  readonly metrics: OtlpReceived
  readonly peakRssMb: number | null
  /**
   * The traced service's sampler as the bench's environment set it (`OTEL_TRACES_SAMPLER` and its
   * argument): the target is about every trace exported, the default.
   */
  readonly sampler: string
}

/** The service's default sampler, which keeps every trace a caller has not marked unsampled. */
export const everyTrace = defaultTraceSampling.sampler

/** A whole number as the tables print it. */
export const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a")
const n1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a")

const at = (levels: ReadonlyArray<LoadLevel>, connections: number) => levels.find((l) => l.connections === connections)

export interface TargetFigures {
  readonly appliedVsBaseline: number | null
  readonly appliedVsPgbench: number | null
  /** Applied/s at 64 with OTLP export on ÷ without, in the same run. */
  readonly appliedOtlpVsOff: number | null
  readonly ackP99VsBaseline: number | null
  readonly outboundOfIdeal: number | null
  readonly outboundRawOfIdeal: number | null
  readonly rateLimited429: number | null
  readonly apiWritesVsBaseline: number | null
  readonly apiWritesP99VsBaseline: number | null
  readonly servicePeakRssMb: number | null
  readonly baselinePeakRssMb: number | null
}

type Judged = Pick<
  BenchResults,
  "pgbench" | "baseline" | "inbound" | "inboundOtlp" | "outbound" | "outboundRaw" | "queries" | "apiWrites" | "memory"
>

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? null
    : Math.round((a / b) * 1000) / 1000

/** The traced run's level at 64, only when the receiver saw spans: a run that exported nothing measured nothing. */
const tracedAt64 = (r: Pick<Judged, "inboundOtlp">) =>
  r.inboundOtlp === null || r.inboundOtlp.traces.requests === 0 ? undefined : at(r.inboundOtlp.levels, 64)

/** Applied/s at 64 with export on and off, each summed over its runs (off, on, on, off when repeated). */
const otlpAt64 = (r: Pick<Judged, "inbound" | "inboundOtlp">) => {
  const off = at(r.inbound, 64)
  const on = tracedAt64(r)
  if (off === undefined || on === undefined) return undefined
  const again = r.inboundOtlp?.again ?? null
  return again === null
    ? { on: [on.appliedPerSec], off: [off.appliedPerSec] }
    : { on: [on.appliedPerSec, again.on.appliedPerSec], off: [off.appliedPerSec, again.off.appliedPerSec] }
}

/** The figures behind the targets, at 64 connections where the level matters. */
export const targetFigures = (r: Judged): TargetFigures => {
  const service64 = at(r.inbound, 64)
  const baseline64 = at(r.baseline, 64)
  const pgMax = r.pgbench.length === 0 ? undefined : Math.max(...r.pgbench.map((p) => p.tps))
  const apiService = apiWritesAt(r.apiWrites, "service", 64)
  const apiBaseline = apiWritesAt(r.apiWrites, "baseline", 64)
  const limited = [r.outbound, r.outboundRaw].filter((o) => o !== null)
  const otlp = otlpAt64(r)
  return {
    appliedVsBaseline: ratio(service64?.appliedPerSec, baseline64?.acknowledgedPerSec),
    appliedVsPgbench: ratio(service64?.appliedPerSec, pgMax),
    appliedOtlpVsOff: otlp === undefined ? null : ratio(Num.sumAll(otlp.on), Num.sumAll(otlp.off)),
    ackP99VsBaseline: ratio(service64?.p99Ms, baseline64?.p99Ms),
    outboundOfIdeal: ratio(r.outbound?.ofIdeal, 1),
    outboundRawOfIdeal: ratio(r.outboundRaw?.ofIdeal, 1),
    rateLimited429: limited.length === 0 ? null : limited.reduce((sum, o) => sum + o.rateLimited, 0),
    apiWritesVsBaseline: ratio(apiService?.requestsPerSec, apiBaseline?.requestsPerSec),
    apiWritesP99VsBaseline: ratio(apiService?.p99Ms, apiBaseline?.p99Ms),
    servicePeakRssMb: r.memory.servicePeakRssMb,
    baselinePeakRssMb: r.memory.baselinePeakRssMb
  }
}

/** The targets of issues #10 and #22, judged on this run's own figures. */
export const judgeTargets = (r: Judged) => {
  const service64 = at(r.inbound, 64)
  const baseline64 = at(r.baseline, 64)
  const pgMax = Math.max(...r.pgbench.map((p) => p.tps))
  const byScenario = (prefix: string) => r.queries.filter((q) => q.scenario.startsWith(prefix))
  const sameCount = (prefix: string) => {
    const [one, ten] = [byScenario(prefix).find((q) => q.tables === 1), byScenario(prefix).find((q) => q.tables === 10)]
    return one === undefined || ten === undefined
      ? { measured: "n/a", met: false }
      // A query per table would add 9; under one is the noise of idle polls and throttled writes.
      : {
        measured: `${one.queriesPerReservation} vs ${ten.queriesPerReservation}`,
        met: Math.abs(one.queriesPerReservation - ten.queriesPerReservation) < 1
      }
  }
  const targets = [] as Array<{ target: string; measured: string; met: boolean }>
  if (service64 !== undefined && baseline64 !== undefined) {
    targets.push({
      target: "applied/s at 64 ≥ 1.0× baseline req/s",
      measured: `${n0(service64.appliedPerSec)} vs ${n0(baseline64.acknowledgedPerSec)}`,
      met: service64.appliedPerSec >= baseline64.acknowledgedPerSec
    })
    targets.push({
      target: "ack p99 at 64 ≤ baseline p99",
      measured: `${service64.p99Ms} ms vs ${baseline64.p99Ms} ms`,
      met: service64.p99Ms <= baseline64.p99Ms
    })
  }
  if (service64 !== undefined && Number.isFinite(pgMax)) {
    targets.push({
      target: "applied/s at 64 ≥ 50% of pgbench",
      measured: `${n0(service64.appliedPerSec)} vs ${n0(pgMax)} (${n0((100 * service64.appliedPerSec) / pgMax)}%)`,
      met: service64.appliedPerSec >= pgMax / 2
    })
  }
  const otlp = otlpAt64(r)
  if (otlp !== undefined) {
    const [on, off] = [Num.sumAll(otlp.on), Num.sumAll(otlp.off)]
    const sampled = r.inboundOtlp?.sampler ?? everyTrace
    targets.push({
      target: "applied/s at 64 with OTLP export on ≥ 90% of without",
      measured: `${otlp.on.map(n0).join(" + ")} vs ${otlp.off.map(n0).join(" + ")} (${n0((100 * on) / off)}%${
        otlp.on.length > 1 ? ", run off, on, on, off" : ""
      }${sampled === everyTrace ? "" : `; traces sampled by ${sampled}`})`,
      met: on >= 0.9 * off
    })
  }
  if (r.outbound !== null) {
    targets.push({
      target: "outbound ≥ 95% of ideal, zero 429",
      measured: `${n0(100 * r.outbound.ofIdeal)}%, ${r.outbound.rateLimited} × 429`,
      met: r.outbound.ofIdeal >= 0.95 && r.outbound.rateLimited === 0
    })
  }
  if (r.outboundRaw !== null) {
    targets.push({
      target: `outbound raw speed (${r.outboundRaw.windowSeconds} s window) ≥ 80% of ideal, zero 429`,
      measured: `${n0(100 * r.outboundRaw.ofIdeal)}%, ${r.outboundRaw.rateLimited} × 429`,
      met: r.outboundRaw.ofIdeal >= 0.8 && r.outboundRaw.rateLimited === 0
    })
  }
  const apiService = apiWritesAt(r.apiWrites, "service", 64)
  const apiBaseline = apiWritesAt(r.apiWrites, "baseline", 64)
  if (apiService !== undefined && apiBaseline !== undefined) {
    targets.push({
      target: "API writes at 64 ≥ 1.0× baseline req/s",
      measured: `${n0(apiService.requestsPerSec)} vs ${n0(apiBaseline.requestsPerSec)}`,
      met: apiService.requestsPerSec >= apiBaseline.requestsPerSec
    })
    targets.push({
      target: "API writes p99 at 64 ≤ baseline p99",
      measured: `${apiService.p99Ms} ms vs ${apiBaseline.p99Ms} ms`,
      met: apiService.p99Ms <= apiBaseline.p99Ms
    })
  }
  if (r.memory.servicePeakRssMb !== null) {
    targets.push({
      target: "service peak RSS < 300 MB",
      measured: `${r.memory.servicePeakRssMb} MB`,
      met: r.memory.servicePeakRssMb < 300
    })
  }
  targets.push({ target: "same queries/reservation, 1 vs 10 tables (inbound)", ...sameCount("inbound create") })
  targets.push({ target: "same queries/reservation, 1 vs 10 tables (outbound)", ...sameCount("outbound create") })
  return targets
}

const apiRows = (r: BenchResults) => {
  const conns = [...new Set(r.apiWrites.map((l) => l.connections))]
  if (conns.length === 0) return []
  const cell = (target: ApiWritesLevel["target"], operation: ApiWritesLevel["operation"]) => (c: number) => {
    const l = r.apiWrites.find((x) => x.target === target && x.operation === operation && x.connections === c)
    return l === undefined
      ? "n/a"
      : `${n0(l.requestsPerSec)} (${l.p50Ms} / ${l.p99Ms})${
        l.errors + l.non2xx > 0 ? `; ${l.errors} errors, ${l.non2xx} non-2xx` : ""
      }`
  }
  const row = (label: string, f: (c: number) => string) => `| ${label} | ${conns.map(f).join(" | ")} |`
  return [
    "",
    `| API writes: requests/s (p50 / p99 ms), connections | ${conns.join(" | ")} |`,
    `|---|${conns.map(() => "---:").join("|")}|`,
    row("service creates (POST /api/reservations)", cell("service", "create")),
    row("service patches (PATCH /api/reservations/:id)", cell("service", "patch")),
    row("baseline creates", cell("baseline", "create")),
    row("baseline patches", cell("baseline", "patch")),
    row("CPU per write, creates and patches: service / baseline (ms, server + PostgreSQL)", (c) => {
      const cpu = (target: ApiWritesLevel["target"]) =>
        r.apiWrites.filter((x) => x.target === target && x.connections === c)
          .map((x) => `${x.serverCpuMsPerRequest ?? "n/a"} + ${x.databaseCpuMsPerRequest ?? "n/a"}`).join(", ")
      return `${cpu("service")} / ${cpu("baseline")}`
    }),
    row("service ÷ baseline requests/s", (c) => {
      const x = ratio(
        apiWritesAt(r.apiWrites, "service", c)?.requestsPerSec,
        apiWritesAt(r.apiWrites, "baseline", c)?.requestsPerSec
      )
      return x === null ? "n/a" : `${x.toFixed(2)}×`
    })
  ]
}

const outboundCell = (o: OutboundResult | null) =>
  o === null ?
    "n/a" :
    `${n1(o.seconds)} s (the API writes took ${n1(o.postSeconds)} s, ${
      n0(o.onSimulatorAfterWrites)
    } pushed meanwhile; last push ${n1(o.seconds - o.postSeconds)} s after the last write) vs ideal ${
      n1(o.idealSeconds)
    } s = **${n0(100 * o.ofIdeal)}%**; ${o.rateLimited} × 429; ${n0(o.requestsServed)} platform requests${
      o.complete ? "" : `; unfinished: ${o.onSimulator} arrived`
    }${o.cpu === null ? "" : `; cores busy ${coresBusyText(o.cpu)}`}`

const threadCell = (r: BenchResults) =>
  r.memory.threads.filter((t) => t.server === "service").map((t) =>
    `${t.threadId === 0 ? "main" : `thread ${t.threadId}`} ${t.heapCommittedMb} MB heap (young ${
      t.new_spaceMb ?? "?"
    }, old ${t.old_spaceMb ?? "?"}) + ${t.externalMb} MB external`
  ).join("; ") || "n/a"

const otlpCell = (o: OtlpInbound | null) =>
  o === null
    ? "n/a"
    : `${n0(o.traces.requests)} trace exports (${n0(o.traces.bytes / 1024)} kB), ${
      n0(o.metrics.requests)
    } metrics exports to a loopback receiver; that process's peak RSS ${o.peakRssMb ?? "n/a"} MB${
      o.again === null
        ? ""
        : `; at 64 connections again, export on then off: ${n0(o.again.on.appliedPerSec)} then ${
          n0(o.again.off.appliedPerSec)
        } applied/s`
    }`

const cpuCell = (l: LoadLevel) =>
  l.serverCpuMsPerEvent === null ? "n/a" : `${l.serverCpuMsPerEvent} + ${l.databaseCpuMsPerEvent ?? "n/a"}`

const levelRows = (r: BenchResults) => {
  const conns = r.inbound.map((l) => l.connections)
  if (conns.length === 0) return []
  const row = (label: string, levels: ReadonlyArray<LoadLevel>, cell: (l: LoadLevel) => string) =>
    `| ${label} | ${
      conns.map((c) => {
        const l = at(levels, c)
        return l === undefined ? "n/a" : cell(l)
      }).join(" | ")
    } |`
  return [
    `| Inbound webhooks, connections | ${conns.join(" | ")} |`,
    `|---|${conns.map(() => "---:").join("|")}|`,
    row("service acknowledged/s", r.inbound, (l) => n0(l.acknowledgedPerSec)),
    row("service ack p50 / p99 (ms)", r.inbound, (l) => `${l.p50Ms} / ${l.p99Ms}`),
    row("service **applied/s**", r.inbound, (l) => `${n0(l.appliedPerSec)}${l.complete ? "" : " (unfinished)"}`),
    row("service errors / non-2xx", r.inbound, (l) => `${l.errors} / ${l.non2xx}`),
    row("service CPU per event: server + PostgreSQL (ms)", r.inbound, cpuCell),
    ...(r.inboundOtlp === null ? [] : [
      row("with OTLP export: acknowledged/s", r.inboundOtlp.levels, (l) => n0(l.acknowledgedPerSec)),
      row("with OTLP export: ack p50 / p99 (ms)", r.inboundOtlp.levels, (l) => `${l.p50Ms} / ${l.p99Ms}`),
      row(
        "with OTLP export: **applied/s**",
        r.inboundOtlp.levels,
        (l) => `${n0(l.appliedPerSec)}${l.complete ? "" : " (unfinished)"}`
      ),
      row("with OTLP export: CPU per event, server + PostgreSQL (ms)", r.inboundOtlp.levels, cpuCell),
      row("with OTLP export ÷ without, applied/s", r.inboundOtlp.levels, (l) => {
        const x = ratio(l.appliedPerSec, at(r.inbound, l.connections)?.appliedPerSec)
        return x === null ? "n/a" : `${x.toFixed(2)}×`
      })
    ]),
    row("baseline requests/s (= applied/s)", r.baseline, (l) => n0(l.acknowledgedPerSec)),
    row("baseline p50 / p99 (ms)", r.baseline, (l) => `${l.p50Ms} / ${l.p99Ms}`),
    row("baseline errors / non-2xx", r.baseline, (l) => `${l.errors} / ${l.non2xx}`),
    row("baseline CPU per event: server + PostgreSQL (ms)", r.baseline, cpuCell)
  ]
}

export const markdown = (r: BenchResults) => {
  const q = (scenario: string, tables: number) => r.queries.find((x) => x.scenario === scenario && x.tables === tables)
  const qCell = (scenario: string) =>
    [1, 10].map((t) => {
      const x = q(scenario, t)
      return x === undefined
        ? "n/a"
        : `${x.queriesPerReservation} (${x.roundTripsPerReservation} round trips, ${x.transactionsPerReservation} tx)`
    }).join(" / ")
  const o = r.outbound
  const lines = [
    `Run of ${r.date} on ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}; ` +
    `${r.settings["levelSeconds"]} s per level; load average ${r.machine.loadAverage.before.toFixed(1)} before, ${
      r.machine.loadAverage.after.toFixed(1)
    } after.`,
    "",
    ...levelRows(r),
    ...apiRows(r),
    "",
    "| Measure | Figure |",
    "|---|---|",
    `| database limit: pgbench, service's per-event statements, prepared (tps) | ${
      r.pgbench.map((p) => `${n0(p.tps)} at ${p.clients} clients`).join(", ")
    } |`,
    ...[o, r.outboundRaw].map((x, i) =>
      x === null
        ? `| outbound${i === 1 ? ", raw speed" : ""} | n/a |`
        : `| outbound${i === 1 ? ", raw speed" : ""}: ${
          n0(x.changes)
        } changes, ${x.restaurants} restaurants, ${x.limitPerWindow} req / ${x.windowSeconds} s per key | ${
          outboundCell(x)
        } |`
    ),
    `| queries per synced reservation, inbound create, 1 / 10 tables | ${qCell("inbound create")} |`,
    `| queries per synced reservation, inbound change, 1 / 10 tables | ${qCell("inbound change")} |`,
    `| queries per synced reservation, outbound create, 1 / 10 tables | ${qCell("outbound create")} |`,
    `| peak memory (VmHWM): service / inbound baseline / API baseline | ${r.memory.servicePeakRssMb ?? "n/a"} MB / ${
      r.memory.baselinePeakRssMb ?? "n/a"
    } MB / ${r.memory.apiBaselinePeakRssMb ?? "n/a"} MB |`,
    `| service heaps at their peak, per thread | ${threadCell(r)} |`,
    `| OTLP export (inbound levels again, export on) | ${otlpCell(r.inboundOtlp)} |`,
    "",
    "| Target (issues #10, #22) | Measured | Met |",
    "|---|---|---|",
    ...r.judged.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? "yes" : "**no**"} |`)
  ]
  return lines.join("\n")
}
