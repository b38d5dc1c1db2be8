import autocannon from "autocannon"
import { cpuMsPerEvent, type CpuProbe } from "./lib/cpu.js"
import { exec } from "./lib/postgres.js"
import { sleep } from "./lib/service.js"
import type { SignedWebhook } from "./lib/webhooks.js"

export interface LoadLevel {
  readonly connections: number
  readonly seconds: number
  readonly sent: number
  readonly acknowledged: number
  readonly acknowledgedPerSec: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly errors: number
  readonly non2xx: number
  /** Events fully applied per second, from the first request until the last one was applied. */
  readonly appliedPerSec: number
  readonly applied: number
  /** False when the bounded wait for the worker ran out first. */
  readonly complete: boolean
  /** CPU per applied event, from the first request until the last was applied (null: not readable). */
  readonly serverCpuMsPerEvent: number | null
  readonly databaseCpuMsPerEvent: number | null
}

/** autocannon against the webhook route; every request takes the next unique, freshly signed delivery. */
export const fireWebhooks = (
  options: {
    readonly url: string
    readonly connections: number
    readonly seconds: number
    readonly next: () => SignedWebhook
  }
) =>
  autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    requests: [{
      method: "POST",
      path: "/api/webhooks/zenchef",
      setupRequest: (request) => {
        const webhook = options.next()
        return { ...request, body: webhook.body, headers: webhook.headers }
      }
    }]
  })

const inboundProgress = async (databaseUrl: string, afterId: number) => {
  const { rows } = await exec<{ done: string; dead: string; last: Date | null; max_id: string | null }>(
    databaseUrl,
    `SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'dead') AS dead,
            max(updated_at) FILTER (WHERE status IN ('done', 'dead')) AS last, max(id) AS max_id
     FROM sync_jobs WHERE direction = 'inbound' AND id > $1`,
    [afterId]
  )
  const row = rows[0]!
  return { done: Number(row.done), dead: Number(row.dead), last: row.last, maxId: Number(row.max_id ?? afterId) }
}

/**
 * Inbound jobs not settled yet (earlier levels are all settled), each status counted through its
 * own partial index: a poll that read the whole level's rows (tens of thousands) would take the
 * database time the service is draining with.
 */
const unsettledInbound = async (databaseUrl: string) => {
  const { rows } = await exec<{ n: string }>(
    databaseUrl,
    `SELECT (SELECT count(*) FROM sync_jobs WHERE status = 'pending' AND direction = 'inbound')
          + (SELECT count(*) FROM sync_jobs WHERE status = 'running' AND direction = 'inbound') AS n`
  )
  return Number(rows[0]!.n)
}

export const lastInboundJobId = async (databaseUrl: string) => (await inboundProgress(databaseUrl, 0)).maxId

/**
 * One load level against the service: acknowledgements from autocannon, then the queue watched
 * until every acknowledged event is done. The end is the completion time the service itself
 * stamped on the last job (updated_at), not when the poll happened to look.
 */
export const serviceLevel = async (options: {
  readonly url: string
  readonly databaseUrl: string
  readonly connections: number
  readonly seconds: number
  readonly next: () => SignedWebhook
  readonly drainTimeoutMs: number
  readonly cpu: CpuProbe
}): Promise<LoadLevel> => {
  const before = await lastInboundJobId(options.databaseUrl)
  const cpuBefore = options.cpu.read()
  const started = Date.now()
  const result = await fireWebhooks(options)
  const acknowledged = result["2xx"]
  const deadline = Date.now() + options.drainTimeoutMs
  // Every acknowledged event is stored: once none is pending or running, all are settled.
  while (await unsettledInbound(options.databaseUrl) > 0 && Date.now() < deadline) await sleep(200)
  const progress = await inboundProgress(options.databaseUrl, before)
  const cpuAfter = options.cpu.read()
  const complete = progress.done + progress.dead >= acknowledged
  const endMs = complete && progress.last !== null ? progress.last.getTime() : Date.now()
  return {
    ...summarise(result, options.connections, options.seconds),
    applied: progress.done,
    appliedPerSec: progress.done / Math.max(0.001, (endMs - started) / 1000),
    complete,
    serverCpuMsPerEvent: cpuMsPerEvent(cpuBefore.server, cpuAfter.server, progress.done),
    databaseCpuMsPerEvent: cpuMsPerEvent(cpuBefore.database, cpuAfter.database, progress.done)
  }
}

/** The baseline applies inside the request: what it acknowledged is applied. */
export const baselineLevel = async (
  options: {
    readonly url: string
    readonly connections: number
    readonly seconds: number
    readonly next: () => SignedWebhook
    readonly cpu: CpuProbe
  }
): Promise<LoadLevel> => {
  const cpuBefore = options.cpu.read()
  const result = await fireWebhooks(options)
  const cpuAfter = options.cpu.read()
  const summary = summarise(result, options.connections, options.seconds)
  return {
    ...summary,
    applied: summary.acknowledged,
    appliedPerSec: summary.acknowledgedPerSec,
    complete: true,
    serverCpuMsPerEvent: cpuMsPerEvent(cpuBefore.server, cpuAfter.server, summary.acknowledged),
    databaseCpuMsPerEvent: cpuMsPerEvent(cpuBefore.database, cpuAfter.database, summary.acknowledged)
  }
}

const summarise = (result: autocannon.Result, connections: number, seconds: number) => ({
  connections,
  seconds,
  sent: result.requests.sent,
  acknowledged: result["2xx"],
  acknowledgedPerSec: result["2xx"] / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  errors: result.errors,
  non2xx: result.non2xx
})
