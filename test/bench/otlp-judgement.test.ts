import { describe, expect, it } from "vitest"
import type { LoadLevel } from "../../bench/inbound.js"
import { everyTrace, judgeTargets, type OtlpInbound, targetFigures } from "../../bench/report.js"

const level = (connections: number, appliedPerSec: number): LoadLevel => ({
  connections,
  seconds: 10,
  sent: appliedPerSec * 10,
  acknowledged: appliedPerSec * 10,
  acknowledgedPerSec: appliedPerSec,
  p50Ms: 50,
  p99Ms: 150,
  errors: 0,
  non2xx: 0,
  appliedPerSec,
  applied: appliedPerSec * 10,
  complete: true,
  serverCpuMsPerEvent: 1.5,
  databaseCpuMsPerEvent: 0.6
})

const traced = (
  on: number,
  again: OtlpInbound["again"],
  traceRequests = 10,
  sampler: string = everyTrace
): OtlpInbound => ({
  levels: [level(16, 700), level(64, on)],
  again,
  traces: { requests: traceRequests, bytes: 1000 },
  metrics: { requests: 1, bytes: 100 },
  peakRssMb: 280,
  sampler
})

const results = (off: number, inboundOtlp: OtlpInbound) => ({
  pgbench: [],
  baseline: [],
  inbound: [level(16, 720), level(64, off)],
  inboundOtlp,
  outbound: null,
  outboundRaw: null,
  queries: [],
  apiWrites: [],
  memory: { servicePeakRssMb: null, baselinePeakRssMb: null, apiBaselinePeakRssMb: null, threads: [] }
})

const otlpVerdict = (r: ReturnType<typeof results>) =>
  judgeTargets(r).find((t) => t.target.startsWith("applied/s at 64 with OTLP export on"))

describe("the OTLP export target", () => {
  it("is judged on the sums of off, on, on, off when the level ran twice each way", () => {
    // Alone, the first pair reads 80%; the database's drift puts the second pair the other way.
    const r = results(1000, traced(800, { on: level(64, 950), off: level(64, 850) }))
    expect(targetFigures(r).appliedOtlpVsOff).toBe(0.946)
    expect(otlpVerdict(r)).toEqual({
      target: "applied/s at 64 with OTLP export on ≥ 90% of without",
      measured: "800 + 950 vs 1,000 + 850 (95%, run off, on, on, off)",
      met: true
    })
  })

  it("compares one pair when the level ran once each way", () => {
    const r = results(1000, traced(800, null))
    expect(targetFigures(r).appliedOtlpVsOff).toBe(0.8)
    expect(otlpVerdict(r)?.met).toBe(false)
  })

  it("says so when the traced service kept only some traces", () => {
    const r = results(1000, traced(950, null, 10, "parentbased_traceidratio 0.1"))
    expect(otlpVerdict(r)?.measured).toBe("950 vs 1,000 (95%; traces sampled by parentbased_traceidratio 0.1)")
  })

  it("judges nothing when the receiver saw no spans", () => {
    const r = results(1000, traced(800, { on: level(64, 950), off: level(64, 850) }, 0))
    expect(targetFigures(r).appliedOtlpVsOff).toBeNull()
    expect(otlpVerdict(r)).toBeUndefined()
  })
})
