import type { LoadLevel } from "./inbound.js"
import type { OutboundResult } from "./outbound.js"
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
  readonly outbound: OutboundResult | null
  readonly queries: ReadonlyArray<QueryCount>
  readonly memory: { readonly servicePeakRssMb: number | null; readonly baselinePeakRssMb: number | null }
  readonly targets: ReadonlyArray<{ readonly target: string; readonly measured: string; readonly met: boolean }>
  readonly notes: ReadonlyArray<string>
}

const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a")
const n1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a")

const at = (levels: ReadonlyArray<LoadLevel>, connections: number) => levels.find((l) => l.connections === connections)

/** The targets of issue #10, judged on this run's own figures. */
export const judgeTargets = (r: Pick<BenchResults, "pgbench" | "baseline" | "inbound" | "outbound" | "queries">) => {
  const service64 = at(r.inbound, 64)
  const baseline64 = at(r.baseline, 64)
  const pgMax = Math.max(...r.pgbench.map((p) => p.tps))
  const byScenario = (prefix: string) => r.queries.filter((q) => q.scenario.startsWith(prefix))
  const sameCount = (prefix: string) => {
    const [one, ten] = [byScenario(prefix).find((q) => q.tables === 1), byScenario(prefix).find((q) => q.tables === 10)]
    return one === undefined || ten === undefined
      ? { measured: "n/a", met: false }
      // A query per table would add 9; under one is the noise of idle polls and throttled writes.
      : { measured: `${one.queriesPerReservation} vs ${ten.queriesPerReservation}`, met: Math.abs(one.queriesPerReservation - ten.queriesPerReservation) < 1 }
  }
  const targets = [] as Array<{ target: string; measured: string; met: boolean }>
  if (service64 !== undefined && baseline64 !== undefined) {
    targets.push({ target: "applied/s at 64 ≥ 1.0× baseline req/s", measured: `${n0(service64.appliedPerSec)} vs ${n0(baseline64.acknowledgedPerSec)}`, met: service64.appliedPerSec >= baseline64.acknowledgedPerSec })
    targets.push({ target: "ack p99 at 64 ≤ baseline p99", measured: `${service64.p99Ms} ms vs ${baseline64.p99Ms} ms`, met: service64.p99Ms <= baseline64.p99Ms })
  }
  if (service64 !== undefined && Number.isFinite(pgMax)) {
    targets.push({ target: "applied/s at 64 ≥ 50% of pgbench", measured: `${n0(service64.appliedPerSec)} vs ${n0(pgMax)} (${n0((100 * service64.appliedPerSec) / pgMax)}%)`, met: service64.appliedPerSec >= pgMax / 2 })
  }
  if (r.outbound !== null) {
    targets.push({ target: "outbound ≥ 95% of ideal, zero 429", measured: `${n0(100 * r.outbound.ofIdeal)}%, ${r.outbound.rateLimited} × 429`, met: r.outbound.ofIdeal >= 0.95 && r.outbound.rateLimited === 0 })
  }
  targets.push({ target: "same queries/reservation, 1 vs 10 tables (inbound)", ...sameCount("inbound create") })
  targets.push({ target: "same queries/reservation, 1 vs 10 tables (outbound)", ...sameCount("outbound create") })
  return targets
}

const cpuCell = (l: LoadLevel) =>
  l.serverCpuMsPerEvent === null ? "n/a" : `${l.serverCpuMsPerEvent} + ${l.databaseCpuMsPerEvent ?? "n/a"}`

const levelRows = (r: BenchResults) => {
  const conns = r.inbound.map((l) => l.connections)
  const row = (label: string, levels: ReadonlyArray<LoadLevel>, cell: (l: LoadLevel) => string) =>
    `| ${label} | ${conns.map((c) => { const l = at(levels, c); return l === undefined ? "n/a" : cell(l) }).join(" | ")} |`
  return [
    `| Inbound webhooks, connections | ${conns.join(" | ")} |`,
    `|---|${conns.map(() => "---:").join("|")}|`,
    row("service acknowledged/s", r.inbound, (l) => n0(l.acknowledgedPerSec)),
    row("service ack p50 / p99 (ms)", r.inbound, (l) => `${l.p50Ms} / ${l.p99Ms}`),
    row("service **applied/s**", r.inbound, (l) => `${n0(l.appliedPerSec)}${l.complete ? "" : " (unfinished)"}`),
    row("service errors / non-2xx", r.inbound, (l) => `${l.errors} / ${l.non2xx}`),
    row("service CPU per event: server + PostgreSQL (ms)", r.inbound, cpuCell),
    row("baseline requests/s (= applied/s)", r.baseline, (l) => n0(l.acknowledgedPerSec)),
    row("baseline p50 / p99 (ms)", r.baseline, (l) => `${l.p50Ms} / ${l.p99Ms}`),
    row("baseline errors / non-2xx", r.baseline, (l) => `${l.errors} / ${l.non2xx}`),
    row("baseline CPU per event: server + PostgreSQL (ms)", r.baseline, cpuCell)
  ]
}

export const markdown = (r: BenchResults) => {
  const q = (scenario: string, tables: number) => r.queries.find((x) => x.scenario === scenario && x.tables === tables)
  const qCell = (scenario: string) =>
    [1, 10].map((t) => { const x = q(scenario, t); return x === undefined ? "n/a" : `${x.queriesPerReservation} (${x.roundTripsPerReservation} round trips, ${x.transactionsPerReservation} tx)` }).join(" / ")
  const o = r.outbound
  const lines = [
    `Run of ${r.date} on ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}; ` +
      `${r.settings["levelSeconds"]} s per level; load average ${r.machine.loadAverage.before.toFixed(1)} before, ${r.machine.loadAverage.after.toFixed(1)} after.`,
    "",
    ...levelRows(r),
    "",
    "| Measure | Figure |",
    "|---|---|",
    `| database limit: pgbench, service's per-event statements, prepared (tps) | ${r.pgbench.map((p) => `${n0(p.tps)} at ${p.clients} clients`).join(", ")} |`,
    o === null ? "| outbound | n/a |" :
      `| outbound: ${n0(o.changes)} changes, ${o.restaurants} restaurants, ${o.limitPerWindow} req / ${o.windowSeconds} s per key | ${n1(o.seconds)} s (the API writes took ${n1(o.postSeconds)} s; last push ${n1(o.seconds - o.postSeconds)} s after the last write) vs ideal ${n1(o.idealSeconds)} s = **${n0(100 * o.ofIdeal)}%**; ${o.rateLimited} × 429; ${n0(o.requestsServed)} platform requests${o.complete ? "" : `; unfinished: ${o.onSimulator} arrived`} |`,
    `| queries per synced reservation, inbound create, 1 / 10 tables | ${qCell("inbound create")} |`,
    `| queries per synced reservation, inbound change, 1 / 10 tables | ${qCell("inbound change")} |`,
    `| queries per synced reservation, outbound create, 1 / 10 tables | ${qCell("outbound create")} |`,
    `| peak memory (VmHWM): service / baseline | ${r.memory.servicePeakRssMb ?? "n/a"} MB / ${r.memory.baselinePeakRssMb ?? "n/a"} MB |`,
    "",
    "| Target (issue #10) | Measured | Met |",
    "|---|---|---|",
    ...r.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? "yes" : "**no**"} |`)
  ]
  return lines.join("\n")
}
