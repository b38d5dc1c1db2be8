import { forEachConcurrent } from "./lib/http.js"
import { exec } from "./lib/postgres.js"
import { waitFor } from "./lib/service.js"
import type { SignedWebhook } from "./lib/webhooks.js"

export interface StatementCount {
  readonly query: string
  readonly calls: number
}

export interface QueryCount {
  readonly scenario: string
  readonly tables: number
  readonly reservations: number
  /** Every statement the service sent, BEGIN and COMMIT included: one round trip each. */
  readonly roundTripsPerReservation: number
  /** The same without transaction control. */
  readonly queriesPerReservation: number
  readonly transactionsPerReservation: number
  readonly top: ReadonlyArray<StatementCount>
}

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|START TRANSACTION)\b/i

/**
 * Counts at the database with pg_stat_statements, for the service's role and database only: the
 * bench's own probes connect as another role, so they are not counted.
 */
export const makeStatementCounter = async (adminUrl: string, database: string) => {
  await exec(adminUrl, "DROP ROLE IF EXISTS bench_probe")
  await exec(adminUrl, "CREATE ROLE bench_probe LOGIN SUPERUSER PASSWORD 'bench_probe'")
  const probe = new URL(adminUrl)
  probe.username = "bench_probe"
  probe.password = "bench_probe"
  probe.pathname = `/${database}`
  // The view and its reset function live where the extension was created: in this database too.
  await exec(probe.toString(), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
  const reset = () => exec(probe.toString(), "SELECT pg_stat_statements_reset()")
  const read = async () => {
    const { rows } = await exec<{ query: string; calls: string }>(
      probe.toString(),
      `
      SELECT s.query, sum(s.calls) AS calls FROM pg_stat_statements s
      WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = $1)
        AND s.userid = (SELECT oid FROM pg_roles WHERE rolname = $2)
      GROUP BY s.query ORDER BY sum(s.calls) DESC`,
      [database, decodeURIComponent(new URL(adminUrl).username)]
    )
    return rows.map((r) => ({ query: r.query.replace(/\s+/g, " ").trim(), calls: Number(r.calls) }))
  }
  return { probeUrl: probe.toString(), reset, read }
}

export type StatementCounter = Awaited<ReturnType<typeof makeStatementCounter>>

export const perReservation = (
  scenario: string,
  tables: number,
  reservations: number,
  statements: ReadonlyArray<StatementCount>
): QueryCount => {
  const total = statements.reduce((sum, s) => sum + s.calls, 0)
  const control = statements.filter((s) => CONTROL.test(s.query))
  const begins = control.filter((s) => /^\s*(BEGIN|START)/i.test(s.query)).reduce((sum, s) => sum + s.calls, 0)
  const queries = total - control.reduce((sum, s) => sum + s.calls, 0)
  const round = (n: number) => Math.round((n / reservations) * 100) / 100
  return {
    scenario,
    tables,
    reservations,
    roundTripsPerReservation: round(total),
    queriesPerReservation: round(queries),
    transactionsPerReservation: round(begins),
    top: statements.slice(0, 15).map((s) => ({ query: s.query.slice(0, 160), calls: round(s.calls) }))
  }
}

/** Sends `webhooks` (a few at a time) and waits until the service has applied each one. */
export const countInbound = async (options: {
  readonly counter: StatementCounter
  readonly serviceUrl: string
  readonly scenario: string
  readonly tables: number
  readonly webhooks: ReadonlyArray<SignedWebhook>
}) => {
  const { rows } = await exec<{ n: string }>(
    options.counter.probeUrl,
    "SELECT count(*) AS n FROM sync_jobs WHERE direction = 'inbound' AND status IN ('done', 'dead')"
  )
  const before = Number(rows[0]!.n)
  await options.counter.reset()
  await forEachConcurrent(options.webhooks, 4, async (w) => {
    const response = await fetch(`${options.serviceUrl}/api/webhooks/zenchef`, {
      method: "POST",
      headers: w.headers,
      body: w.body
    })
    if (!response.ok) throw new Error(`webhook answered ${response.status}: ${await response.text()}`)
  })
  await waitFor(
    `${options.scenario} applied`,
    async () => {
      const r = await exec<{ n: string }>(
        options.counter.probeUrl,
        "SELECT count(*) AS n FROM sync_jobs WHERE direction = 'inbound' AND status IN ('done', 'dead')"
      )
      return Number(r.rows[0]!.n) - before >= options.webhooks.length ? true : undefined
    },
    60_000,
    50
  )
  return perReservation(options.scenario, options.tables, options.webhooks.length, await options.counter.read())
}

/** Runs `push` (local changes through the API) and waits for `arrived` to reach `count`. */
export const countOutbound = async (options: {
  readonly counter: StatementCounter
  readonly scenario: string
  readonly tables: number
  readonly count: number
  readonly push: () => Promise<void>
  readonly arrived: () => Promise<number>
}) => {
  const before = await options.arrived()
  await options.counter.reset()
  await options.push()
  await waitFor(
    `${options.scenario} on the simulator`,
    async () => ((await options.arrived()) - before >= options.count ? true : undefined),
    60_000,
    50
  )
  // The mapping and log are written after the platform answered: let the last jobs settle.
  await waitFor(
    `${options.scenario} settled`,
    async () => {
      const r = await exec<{ n: string }>(
        options.counter.probeUrl,
        "SELECT count(*) AS n FROM sync_jobs WHERE direction = 'outbound' AND status IN ('pending', 'running')"
      )
      return Number(r.rows[0]!.n) === 0 ? true : undefined
    },
    60_000,
    50
  )
  return perReservation(options.scenario, options.tables, options.count, await options.counter.read())
}
