/**
 * `npm run bench`: one bounded run on loopback (issue #10). One PostgreSQL (started here, or
 * DATABASE_URL), the service as a child process, the hand-written baseline as another, the Zenchef
 * simulator in this process. Writes bench/results/latest.json and .md (partial.json and .md for
 * a run of some parts only) and prints the table.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { type ApiWritesLevel, apiWritesRun } from "./apiwrites.js"
import { baselineLevel, type LoadLevel, serviceLevel } from "./inbound.js"
import { cpuProbe } from "./lib/cpu.js"
import { callJson } from "./lib/http.js"
import { startOtlpReceiver } from "./lib/otlp-receiver.js"
import { copyRows, createMigratedDatabase, exec, settleDatabases, startCluster } from "./lib/postgres.js"
import { repoRoot, type ServiceProcess, startService } from "./lib/service.js"
import { startSimulator } from "./lib/simulator.js"
import { makeWebhookStream } from "./lib/webhooks.js"
import { findPgbench, type PgbenchResult, runPgbench, seedPgbenchDatabase } from "./pgbench.js"
import { type BenchResults, everyTrace, judgeTargets, markdown, n0, targetFigures } from "./report.js"
import { connectSimulated, measureOutbound, measureQueries } from "./scenarios.js"

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const settings = {
  levelSeconds: env("BENCH_LEVEL_SECONDS", 10),
  pgbenchSeconds: env("BENCH_PGBENCH_SECONDS", 15),
  drainTimeoutSeconds: env("BENCH_DRAIN_TIMEOUT_SECONDS", 90),
  rateLimit: 100,
  // Zenchef allows 100 per minute and key. A 30 s window keeps the run short; the aggregate rate
  // it allows (50 keys x 100 / 30 s = 167 requests/s) stays one the limits decide on a 2-core
  // machine that also runs the simulator and the load generator. BENCH_RATE_WINDOW_MS=10000
  // asks for 500/s: a measure of raw write-and-push speed rather than of the limits.
  rateWindowMs: env("BENCH_RATE_WINDOW_MS", 30_000),
  // The outboundraw part: the same run with limits loose enough not to matter (500 requests/s).
  rawRateWindowMs: env("BENCH_RAW_RATE_WINDOW_MS", 10_000),
  outboundRestaurants: 50,
  outboundPerRestaurant: 100,
  inboundRestaurants: 10
}
const allConnections = "1,16,64,256"
const allApiConnections = "16,64"
const allParts = ["pgbench", "baseline", "inbound", "inboundotlp", "queries", "outbound", "outboundraw", "apiwrites"]
const connections = (process.env["BENCH_CONNECTIONS"] ?? allConnections).split(",").map(Number)
const apiConnections = (process.env["BENCH_API_CONNECTIONS"] ?? allApiConnections).split(",").map(Number)
// BENCH_PARTS picks what runs (default all): a quicker loop while working on one side.
const parts = new Set((process.env["BENCH_PARTS"] ?? allParts.join(",")).split(","))
const startedAt = Date.now()
const loadBefore = os.loadavg()[0]!
const log = (line: string) =>
  process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}\n`)
const notes: Array<string> = []

const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-bench-"))
await fs.chmod(workDir, 0o755)
const givenUrl = process.env["DATABASE_URL"]
const cluster = givenUrl === undefined
  ? await startCluster({ rootDir: path.join(workDir, "pg"), statStatements: true })
  : undefined
const adminUrl = givenUrl ?? cluster!.url
// The cluster's files (about 2 GB after a run) go with it; the logs stay in the work dir.
const removeCluster = () => fs.rm(path.join(workDir, "pg"), { recursive: true, force: true })
const cleanups: Array<() => Promise<unknown>> = cluster === undefined ? [] : [removeCluster, cluster.close]
const cleanup = async () => {
  for (const f of cleanups.reverse()) await f().catch(() => undefined)
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)))
}

try {
  log(
    `PostgreSQL ${
      cluster === undefined ? "from DATABASE_URL" : `embedded on port ${cluster.port}`
    }; work dir ${workDir}`
  )
  const postgres = (await exec<{ server_version: string }>(adminUrl, "SHOW server_version")).rows[0]!.server_version
  const serviceDb = await createMigratedDatabase(adminUrl, "bench_service")
  const baselineDb = await createMigratedDatabase(adminUrl, "bench_baseline")
  const pgbenchDb = await createMigratedDatabase(adminUrl, "bench_pgbench")
  await seedPgbenchDatabase(pgbenchDb)

  const settle = () => settleDatabases(adminUrl, [serviceDb, baselineDb, pgbenchDb])
  const pgbench: Array<PgbenchResult> = []
  const binary = parts.has("pgbench") ? await findPgbench(log) : undefined
  if (!parts.has("pgbench")) notes.push("pgbench not run (BENCH_PARTS)")
  else if (binary === undefined) notes.push("pgbench unavailable: database limit not measured")
  else {
    for (const clients of [16, 64]) {
      log(`pgbench, ${clients} clients, ${settings.pgbenchSeconds} s`)
      await settle()
      pgbench.push(await runPgbench({ binary, url: pgbenchDb, workDir, clients, seconds: settings.pgbenchSeconds }))
    }
  }

  const sim = await startSimulator({
    rateLimit: { limit: settings.rateLimit, windowMs: settings.rateWindowMs },
    mode: { apiChangesEmitWebhooks: false }
  })
  cleanups.push(sim.close)
  const service = await startService({
    databaseUrl: serviceDb,
    dataDir: path.join(workDir, "service-data"),
    logFile: path.join(workDir, "service.log"),
    memoryDir: path.join(workDir, "memory"),
    env: { PLATFORM_RATE_LIMIT: String(settings.rateLimit), PLATFORM_RATE_WINDOW: `${settings.rateWindowMs} millis` }
  })
  cleanups.push(() => service.stop())
  log(`service pid ${service.pid()} on ${service.url}`)
  const inboundRestaurants = await connectSimulated({
    service,
    serviceDb,
    sim: sim.handle,
    from: 0,
    count: settings.inboundRestaurants
  })

  // The baseline first, on its own database, with the same restaurants and secrets.
  const baseline = await startService({
    entry: "bench/baseline-server.ts",
    databaseUrl: baselineDb,
    dataDir: workDir,
    logFile: path.join(workDir, "baseline.log"),
    memoryDir: path.join(workDir, "memory"),
    env: {
      BASELINE_SECRETS: JSON.stringify(Object.fromEntries(inboundRestaurants.map((r) => [r.restaurantUid, r.secret])))
    }
  })
  cleanups.push(() => baseline.stop())
  /** The inbound levels against one server; `label` names its log lines and keeps its events unique. */
  const loadRun = async (
    target: "baseline" | "service",
    server: ServiceProcess = target === "baseline" ? baseline : service,
    label: string = target,
    levelConnections: ReadonlyArray<number> = connections
  ) => {
    const url = server.url
    const cpu = cpuProbe(server.pid, cluster?.pid())
    // Warm-up, not measured: the JIT, the pools, and the bookings the "changed" half will change.
    const warm = makeWebhookStream({
      restaurants: inboundRestaurants,
      tag: `${label}-warm`,
      tables: () => 1,
      changeable: [],
      mix: "creates"
    })
    if (target === "baseline") await baselineLevel({ url, connections: 8, seconds: 3, next: warm.next, cpu })
    else {await serviceLevel({
        url,
        databaseUrl: serviceDb,
        connections: 8,
        seconds: 3,
        next: warm.next,
        drainTimeoutMs: 60_000,
        cpu
      })}
    const levels: Array<LoadLevel> = []
    for (const c of levelConnections) {
      log(`${label} inbound, ${c} connections, ${settings.levelSeconds} s`)
      const stream = makeWebhookStream({
        restaurants: inboundRestaurants,
        tag: `${label}-${c}`,
        tables: () => 1 + (Math.random() < 0.5 ? 1 : 0),
        changeable: warm.created
      })
      await settle()
      const level = target === "baseline"
        ? await baselineLevel({ url, connections: c, seconds: settings.levelSeconds, next: stream.next, cpu })
        : await serviceLevel({
          url,
          databaseUrl: serviceDb,
          connections: c,
          seconds: settings.levelSeconds,
          next: stream.next,
          drainTimeoutMs: settings.drainTimeoutSeconds * 1000,
          cpu
        })
      log(
        `  ack ${level.acknowledgedPerSec.toFixed(0)}/s p99 ${level.p99Ms} ms applied ${
          level.appliedPerSec.toFixed(0)
        }/s${
          level.complete ? "" : " (unfinished)"
        }; CPU per event ${level.serverCpuMsPerEvent} ms (server) + ${level.databaseCpuMsPerEvent} ms (PostgreSQL)`
      )
      levels.push(level)
      warm.created.push(...stream.created)
    }
    return levels
  }
  /**
   * Issue 22: the inbound levels again with traces and metrics exported over OTLP to a loopback
   * receiver, from a service process of its own (the default one's memory peak stays its own).
   */
  const tracedInbound = async () => {
    const receiver = await startOtlpReceiver()
    cleanups.push(receiver.close)
    await service.stop()
    const traced = await startService({
      databaseUrl: serviceDb,
      dataDir: path.join(workDir, "service-data"),
      logFile: path.join(workDir, "service-otlp.log"),
      env: {
        PLATFORM_RATE_LIMIT: String(settings.rateLimit),
        PLATFORM_RATE_WINDOW: `${settings.rateWindowMs} millis`,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url
      }
    })
    cleanups.push(() => traced.stop())
    const levels = await loadRun("service", traced, "service-otlp")
    // The judged level once more each way, in the reverse order (off, on, on, off): the database
    // grows with every level, and the second of two runs reads a few points low for it alone.
    const onAgain = connections.includes(64)
      ? (await loadRun("service", traced, "service-otlp-again", [64]))[0]
      : undefined
    await traced.stop()
    const peak = traced.peakRssKb()
    const exported = { traces: receiver.received("/v1/traces"), metrics: receiver.received("/v1/metrics") }
    await receiver.close()
    log(
      `  exported: ${exported.traces.requests} trace requests (${
        n0(exported.traces.bytes / 1024)
      } kB), ${exported.metrics.requests} metrics requests`
    )
    await service.start()
    const offAgain = onAgain === undefined ? undefined : (await loadRun("service", service, "service-again", [64]))[0]
    return {
      levels,
      again: onAgain === undefined || offAgain === undefined ? null : { on: onAgain, off: offAgain },
      ...exported,
      peakRssMb: peak === undefined ? null : Math.round(peak / 1024),
      sampler: [
        process.env["OTEL_TRACES_SAMPLER"]?.trim().toLowerCase() ?? everyTrace,
        process.env["OTEL_TRACES_SAMPLER_ARG"]
      ]
        .filter((part) => part !== undefined).join(" ")
    }
  }
  const baselineLevels = parts.has("baseline") ? await loadRun("baseline") : []
  const baselinePeak = baseline.peakRssKb()
  await baseline.stop()
  const inbound = parts.has("inbound") ? await loadRun("service") : []
  const inboundOtlp = parts.has("inboundotlp") ? await tracedInbound() : null

  log("queries per synced reservation")
  const queries = parts.has("queries")
    ? await measureQueries({ adminUrl, serviceDb, service, sim: sim.handle, inboundRestaurants, log })
    : []
  if (parts.has("queries") && queries.length === 0) notes.push("pg_stat_statements unavailable: queries not counted")
  log(`outbound: ${settings.outboundRestaurants * settings.outboundPerRestaurant} changes`)
  const outbound = parts.has("outbound") ?
    await measureOutbound({
      settings,
      service,
      serviceDb,
      sim,
      log,
      databasePid: cluster?.pid(),
      beforeRun: settle
    }) :
    null

  // API writes before the raw outbound run, which restarts the service with other limits.
  const apiWrites: Array<ApiWritesLevel> = []
  let apiBaselinePeak: number | undefined
  if (parts.has("apiwrites")) {
    const restaurants = inboundRestaurants.map((r) => r.restaurantId)
    // The main app's own kind of key (issue 17): role app, limited to these restaurants.
    const { key } = await callJson<{ readonly key: string }>("POST", `${service.url}/api/admin/api-keys`, {
      name: "bench API writes",
      role: "app",
      restaurants
    })
    // The write path on its own, as an API-only instance (WORKERS_ENABLED=false) serves it: the
    // baseline pushes nothing either, and the outbound parts measure writes with pushes beside.
    await service.stop()
    await service.start({ WORKERS_ENABLED: "false" })
    apiWrites.push(
      ...await apiWritesRun({
        target: "service",
        url: service.url,
        key,
        restaurants: inboundRestaurants,
        connections: apiConnections,
        seconds: settings.levelSeconds,
        log,
        cpu: cpuProbe(service.pid, cluster?.pid()),
        pid: service.pid,
        beforeLevel: settle
      })
    )
    // The pushes these writes queued (rate-limited at 100 per window and restaurant) would take
    // minutes once workers run again: dropped, so that they do not run beside the parts after this one.
    await exec(
      serviceDb,
      "DELETE FROM sync_jobs WHERE direction = 'outbound' AND status = 'pending' AND restaurant_id = ANY($1)",
      [restaurants]
    )
    // The baseline gets the same keys, floor plans and platform configs on its own database.
    const scope = "restaurant_id = ANY($1)"
    for (const table of ["dining_rooms", "dining_tables", "sync_platform_configs"]) {
      await copyRows(serviceDb, baselineDb, table, scope, [restaurants])
    }
    await copyRows(serviceDb, baselineDb, "sync_api_keys", "true", [])
    const apiBaseline = await startService({
      entry: "bench/baseline-api-server.ts",
      databaseUrl: baselineDb,
      dataDir: workDir,
      logFile: path.join(workDir, "baseline-api.log"),
      memoryDir: path.join(workDir, "memory")
    })
    cleanups.push(() => apiBaseline.stop())
    apiWrites.push(
      ...await apiWritesRun({
        target: "baseline",
        url: apiBaseline.url,
        key,
        restaurants: inboundRestaurants,
        connections: apiConnections,
        seconds: settings.levelSeconds,
        log,
        cpu: cpuProbe(apiBaseline.pid, cluster?.pid()),
        pid: apiBaseline.pid,
        beforeLevel: settle
      })
    )
    apiBaselinePeak = apiBaseline.peakRssKb()
    await apiBaseline.stop()
  }

  let outboundRaw = null
  if (parts.has("outboundraw")) {
    log(`outbound, raw speed: limits of ${settings.rateLimit} per ${settings.rawRateWindowMs} ms`)
    const rawSim = await startSimulator({
      rateLimit: { limit: settings.rateLimit, windowMs: settings.rawRateWindowMs },
      mode: { apiChangesEmitWebhooks: false }
    })
    cleanups.push(rawSim.close)
    await service.stop()
    await service.start({ PLATFORM_RATE_WINDOW: `${settings.rawRateWindowMs} millis`, WORKERS_ENABLED: "true" })
    outboundRaw = await measureOutbound({
      settings: { ...settings, rateWindowMs: settings.rawRateWindowMs },
      service,
      serviceDb,
      sim: rawSim,
      log,
      databasePid: cluster?.pid(),
      from: 3000,
      beforeRun: settle
    })
  }
  const servicePeak = service.peakRssKb()
  const threads = [
    ...service.threadMemory().map((t) => ({ server: "service", ...t })),
    ...baseline.threadMemory().map((t) => ({ server: "baseline", ...t }))
  ]
  for (const t of threads) {
    log(
      `  ${t.server} pid ${t.pid} thread ${t.threadId}: heap committed ${t.heapCommittedMb} MB (new space ${
        t.new_spaceMb ?? "?"
      }, old space ${t.old_spaceMb ?? "?"}), external ${t.externalMb} MB${
        t.rssMb === undefined ? "" : `, process RSS ${t.rssMb} MB`
      }`
    )
  }

  const partial = { pgbench, baseline: baselineLevels, inbound, inboundOtlp, outbound, outboundRaw, queries, apiWrites }
  const memory = {
    servicePeakRssMb: servicePeak === undefined ? null : Math.round(servicePeak / 1024),
    baselinePeakRssMb: baselinePeak === undefined ? null : Math.round(baselinePeak / 1024),
    apiBaselinePeakRssMb: apiBaselinePeak === undefined ? null : Math.round(apiBaselinePeak / 1024),
    threads
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.cpus().length,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres,
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! }
    },
    settings: {
      ...settings,
      connections: connections.join(","),
      apiConnections: apiConnections.join(","),
      nodeFlags: process.env["BENCH_NODE_FLAGS"] ?? "npm start",
      wallSeconds: Math.round((Date.now() - startedAt) / 1000)
    },
    ...partial,
    memory,
    targets: targetFigures({ ...partial, memory }),
    judged: judgeTargets({ ...partial, memory }),
    notes
  }
  const table = markdown(results)
  // Only a run of every part, at every level, replaces the committed results; a quicker loop
  // (BENCH_PARTS, BENCH_CONNECTIONS...) writes partial.json and .md beside them (not committed).
  const whole = allParts.every((p) => parts.has(p)) && connections.join(",") === allConnections &&
    apiConnections.join(",") === allApiConnections
  const name = whole ? "latest" : "partial"
  await fs.mkdir(path.join(repoRoot, "bench", "results"), { recursive: true })
  await fs.writeFile(path.join(repoRoot, "bench", "results", `${name}.json`), JSON.stringify(results, null, 2) + "\n")
  await fs.writeFile(path.join(repoRoot, "bench", "results", `${name}.md`), table + "\n")
  process.stdout.write(table + "\n")
  log(`done in ${results.settings["wallSeconds"]} s; logs in ${workDir}`)
} finally {
  await cleanup()
}
