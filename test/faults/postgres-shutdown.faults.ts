import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { repoRoot } from "../../bench/lib/service.js"
import {
  alive,
  clusterProcesses,
  exitWithin,
  killAll,
  leftOf,
  type NpmStart,
  postmasterPid,
  startNpm,
  untilHealthy
} from "./support/npm-start.js"

// Issue #19: stopping `npm start` must not leave the embedded PostgreSQL behind, and a service
// killed outright leaves an orphan that the next start must stop.
describe("fault: the service is stopped by a signal, or killed and restarted", () => {
  let dataDir: string
  let pgdata: string
  const runs: Array<NpmStart> = []
  const started: Array<number> = []

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-shutdown-"))
    await fs.chmod(dataDir, 0o755)
    pgdata = path.join(dataDir, "postgres", "pgdata")
  })
  afterAll(async () => {
    killAll(runs, [...started, ...(await clusterProcesses(pgdata).catch(() => []))])
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  /** `npm start` on the test's folder, once /health answers 200, with the service's node process. */
  const startHealthy = async () => {
    const run = await startNpm(repoRoot, { DATA_DIR: dataDir })
    runs.push(run)
    await untilHealthy(run, 90_000)
    const node = await run.nodePid()
    started.push(node)
    return { run, node }
  }

  it("kill -TERM <npm start pid>: npm, node and every PostgreSQL process of the run end", async () => {
    const { run, node } = await startHealthy()
    const cluster = await clusterProcesses(pgdata)
    expect(cluster.length, "the run's PostgreSQL processes").toBeGreaterThan(0)

    const stoppedAt = Date.now()
    process.kill(run.npm.pid ?? -1, "SIGTERM")
    const npmCode = await run.exited
    const left = await leftOf(pgdata, 5_000)
    console.log(
      `[fault] SIGTERM to npm start: npm exited ${npmCode} after ${Date.now() - stoppedAt} ms; node alive=${
        alive(node)
      }; PostgreSQL processes before=${cluster.length} left=${left.length}`
    )
    expect(npmCode, run.output()).toBe(0)
    expect(alive(node)).toBe(false)
    expect(left).toEqual([])
  }, 150_000)

  it("kill -KILL <node pid>, restart, SIGINT to the group: the orphan is stopped and nothing is left", async () => {
    const first = await startNpm(repoRoot, { DATA_DIR: dataDir })
    runs.push(first)
    await untilHealthy(first, 90_000)
    const node = await first.nodePid()
    const orphan = await postmasterPid(pgdata)
    process.kill(node, "SIGKILL")
    await first.exited
    // The fault really happened: the killed service's PostgreSQL outlived it.
    expect(alive(orphan), "the killed run's postmaster survives it").toBe(true)

    const second = await startNpm(repoRoot, { DATA_DIR: dataDir })
    runs.push(second)
    await untilHealthy(second, 90_000)
    const current = await postmasterPid(pgdata)
    const orphanAlive = alive(orphan)
    const secondNode = await second.nodePid()
    started.push(secondNode)
    expect(second.output()).toContain(`stopping the PostgreSQL left running by an earlier run (pid ${orphan})`)

    // A terminal's Ctrl-C: SIGINT to npm and node at once, and npm forwards its own to node.
    process.kill(-(second.npm.pid ?? 0), "SIGINT")
    const npmCode = await second.exited
    const left = await leftOf(pgdata, 5_000)
    console.log(
      `[fault] SIGKILL node + restart: orphan postmaster ${orphan} alive after restart=${orphanAlive}; new postmaster ${current}; after Ctrl-C npm exited ${npmCode}, node alive=${
        alive(secondNode)
      }, PostgreSQL processes left=${left.length}`
    )
    expect(current).not.toBe(orphan)
    expect(orphanAlive).toBe(false)
    expect(alive(secondNode)).toBe(false)
    expect(left).toEqual([])
  }, 240_000)

  // The embedded server killed under a running service (the kernel's OOM killer, an operator): the
  // service used to stay up answering "database down" with an error line every 200 ms, for good.
  it(
    "kill -KILL <postmaster pid> under a running service: it stops with exit 1, saying why, and nothing is left",
    async () => {
      const { run, node } = await startHealthy()
      const postmaster = await postmasterPid(pgdata)
      const killedAt = Date.now()
      process.kill(postmaster, "SIGKILL")
      const npmCode = await exitWithin(run.exited, 60_000)
      const left = await leftOf(pgdata, 5_000)
      console.log(
        `[fault] SIGKILL postmaster ${postmaster}: npm exited ${npmCode} after ${
          Date.now() - killedAt
        } ms; node alive=${alive(node)}; PostgreSQL processes left=${left.length}`
      )
      expect(npmCode, run.output()).toBe(1)
      expect(run.output()).toContain(
        `the embedded PostgreSQL (pid ${postmaster}) was killed by SIGKILL: stopping the service`
      )
      expect(alive(node)).toBe(false)
      expect(left).toEqual([])
    },
    150_000
  )
})
