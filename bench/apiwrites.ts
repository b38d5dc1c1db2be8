import autocannon from "autocannon"
import { cpuMsPerEvent, type CpuProbe, mainThreadCpuSeconds } from "./lib/cpu.js"
import type { ConnectedRestaurant } from "./lib/world.js"
import { reservationPayload } from "./outbound.js"

/** One API writes level: creates, or patches of reservations created before, for one target. */
export interface ApiWritesLevel {
  readonly target: "service" | "baseline"
  readonly operation: "create" | "patch"
  readonly connections: number
  readonly seconds: number
  readonly requestsPerSec: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly errors: number
  readonly non2xx: number
  /**
   * CPU per answered write of the server process (all its threads) and of PostgreSQL: unlike
   * requests/s, it moves little when other work shares the machine.
   */
  readonly serverCpuMsPerRequest: number | null
  readonly databaseCpuMsPerRequest: number | null
  /** The main thread's share (the HTTP side, without the sync thread's pushes and GC helpers). */
  readonly mainThreadCpuMsPerRequest: number | null
}

/**
 * Unmeasured creates and patches before the levels, for both targets: the service's write path
 * runs in V8's interpreter until it is compiled (the outbound parts found the compiler busy through
 * their first 10 s of a cold service, bench/HISTORY.md), and the service is started afresh for
 * this part; the baseline's few functions warm up alike.
 */
const WARM_UP_SECONDS = 5
const WARM_UP_CONNECTIONS = 16

/**
 * The API write path on its own (issue 22): autocannon creating reservations at each level
 * (unique payloads over the restaurants, as the main app would send them), then patching those it
 * created (party size and notes). Both go through the full route: key, references, the write,
 * its change-log entry and its outbox jobs. The service runs as an API-only instance
 * (WORKERS_ENABLED=false): the jobs are queued, not pushed, as with the baseline.
 */
export const apiWritesRun = async (options: {
  readonly target: "service" | "baseline"
  readonly url: string
  readonly key: string
  readonly restaurants: ReadonlyArray<ConnectedRestaurant>
  readonly connections: ReadonlyArray<number>
  readonly seconds: number
  readonly log: (line: string) => void
  readonly cpu: CpuProbe
  readonly pid: () => number
  /** Runs before each level (the databases settled). */
  readonly beforeLevel: () => Promise<void>
}): Promise<ReadonlyArray<ApiWritesLevel>> => {
  const headers = { "content-type": "application/json", authorization: `Bearer ${options.key}` }
  const levels: Array<ApiWritesLevel> = []
  let n = 0
  const level = async (
    operation: ApiWritesLevel["operation"],
    connections: number,
    request: autocannon.Request,
    measured: boolean
  ) => {
    if (!measured) {
      await autocannon({ url: options.url, connections, duration: WARM_UP_SECONDS, timeout: 30, requests: [request] })
      return
    }
    await options.beforeLevel()
    const cpuBefore = options.cpu.read()
    const mainBefore = mainThreadCpuSeconds(options.pid())
    const result = await autocannon({
      url: options.url,
      connections,
      duration: options.seconds,
      timeout: 30,
      requests: [request]
    })
    const summary: ApiWritesLevel = {
      target: options.target,
      operation,
      connections,
      seconds: options.seconds,
      requestsPerSec: result["2xx"] / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
      serverCpuMsPerRequest: cpuMsPerEvent(cpuBefore.server, options.cpu.read().server, result["2xx"]),
      databaseCpuMsPerRequest: cpuMsPerEvent(cpuBefore.database, options.cpu.read().database, result["2xx"]),
      mainThreadCpuMsPerRequest: cpuMsPerEvent(mainBefore, mainThreadCpuSeconds(options.pid()), result["2xx"])
    }
    options.log(
      `  ${options.target} ${operation === "create" ? "creates" : "patches"} at ${connections}: ${
        summary.requestsPerSec.toFixed(0)
      }/s p50 ${summary.p50Ms} ms p99 ${summary.p99Ms} ms; errors ${summary.errors}, non-2xx ${summary.non2xx}; CPU per write ${summary.serverCpuMsPerRequest} ms (server; main thread ${summary.mainThreadCpuMsPerRequest}) + ${summary.databaseCpuMsPerRequest} ms (PostgreSQL)`
    )
    levels.push(summary)
  }
  const runs = [
    { connections: WARM_UP_CONNECTIONS, measured: false },
    ...options.connections.map((connections) => ({
      connections,
      measured: true
    }))
  ]
  for (const { connections, measured } of runs) {
    options.log(
      measured
        ? `${options.target} API writes, ${connections} connections, ${options.seconds} s creates then ${options.seconds} s patches`
        : `${options.target} API writes, warm-up (not measured): ${WARM_UP_SECONDS} s creates then ${WARM_UP_SECONDS} s patches`
    )
    const created: Array<string> = []
    await level("create", connections, {
      method: "POST",
      path: "/api/reservations",
      headers,
      setupRequest: (request) => {
        const i = n++
        return {
          ...request,
          body: JSON.stringify(reservationPayload(options.restaurants[i % options.restaurants.length]!, i, 1 + (i % 2)))
        }
      },
      onResponse: (status, body) => {
        if (status === 201 || status === 200) created.push((JSON.parse(body) as { readonly id: string }).id)
      }
    }, measured)
    if (created.length === 0) throw new Error(`${options.target}: no reservation created at ${connections} connections`)
    let p = 0
    await level("patch", connections, {
      method: "PATCH",
      path: "/api/reservations",
      headers,
      setupRequest: (request) => {
        const i = p++
        return {
          ...request,
          path: `/api/reservations/${created[i % created.length]}`,
          body: JSON.stringify({ partySize: 2 + (i % 6), notes: `Patch ${i}` })
        }
      }
    }, measured)
  }
  return levels
}

/** Creates and patches together: requests/s summed over equal-length phases, the worse p99. */
export const apiWritesAt = (
  levels: ReadonlyArray<ApiWritesLevel>,
  target: ApiWritesLevel["target"],
  connections: number
) => {
  const mine = levels.filter((l) => l.target === target && l.connections === connections)
  if (mine.length === 0) return undefined
  return {
    requestsPerSec: mine.reduce((sum, l) => sum + l.requestsPerSec, 0) / mine.length,
    p99Ms: Math.max(...mine.map((l) => l.p99Ms))
  }
}
