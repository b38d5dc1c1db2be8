import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { repoRoot } from "../../bench/lib/service.js"
import {
  alive,
  clusterProcesses,
  killAll,
  leftOf,
  type NpmStart,
  postmasterPid,
  startNpm,
  untilHealthy
} from "./support/npm-start.js"

const exec = promisify(execFile)
const isRoot = process.getuid?.() === 0

/**
 * The checkout as it is on disk: a clone of the last commit, with the working tree's uncommitted
 * files laid over it, so the case tests the code being changed (a no-op on a clean tree).
 */
const cloneWorkingTree = async (target: string) => {
  await exec("git", ["clone", "--quiet", repoRoot, target])
  const listed = async (...args: Array<string>) =>
    (await exec("git", ["-C", repoRoot, "ls-files", "-z", ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout.split("\0")
      .filter((f) => f !== "")
  for (const file of await listed("--deleted")) await fs.rm(path.join(target, file), { force: true })
  for (const file of await listed("--cached", "--others", "--exclude-standard")) {
    const from = path.join(repoRoot, file)
    if (!(await fs.stat(from).then((s) => s.isFile(), () => false))) continue
    await fs.mkdir(path.dirname(path.join(target, file)), { recursive: true })
    await fs.copyFile(from, path.join(target, file))
  }
}

/** `npm ci` from the local cache; when the cache lacks a package, the repository's own node_modules. */
const installDependencies = async (checkout: string) => {
  try {
    await exec("npm", ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: checkout, timeout: 120_000 })
    return "npm ci --offline"
  } catch {
    const target = path.join(checkout, "node_modules")
    await fs.rm(target, { recursive: true, force: true })
    await fs.mkdir(target)
    await exec("cp", ["-a", `${await fs.realpath(path.join(repoRoot, "node_modules"))}/.`, target])
    // What `npm ci` would have done next (its prepare script): npm start runs the compiled dist/.
    await exec("npm", ["run", "build"], { cwd: checkout, timeout: 300_000 })
    return "copied node_modules"
  }
}

// Issue #19: as root, a checkout in a private folder failed with `initdb: spawn …/initdb EACCES`,
// the `postgres` user being unable to reach the binaries or the data folder.
// Skipped unless root: only root meets this fault, the server then running as the `postgres` user.
describe.skipIf(!isRoot)("fault: as root, npm start from a checkout in a private (0700) folder (root only)", () => {
  let privateDir: string
  let checkout: string
  const runs: Array<NpmStart> = []
  const started: Array<number> = []
  const standIns: Array<string> = []
  let install = ""

  beforeAll(async () => {
    privateDir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-private-"))
    await fs.chmod(privateDir, 0o700)
    checkout = path.join(privateDir, "alloresto-sync")
    await cloneWorkingTree(checkout)
    install = await installDependencies(checkout)
  }, 180_000)
  afterAll(async () => {
    const pgdata = path.join(checkout, ".data", "postgres", "pgdata")
    killAll(runs, [...started, ...(await clusterProcesses(pgdata).catch(() => []))])
    for (const dir of standIns) await fs.rm(dir, { recursive: true, force: true })
    await fs.rm(privateDir, { recursive: true, force: true })
  })

  it(
    "serves /health on its embedded PostgreSQL, and kill -TERM <npm start pid> leaves no PostgreSQL behind",
    async () => {
      expect((await fs.stat(privateDir)).mode & 0o777).toBe(0o700)
      const startedAt = Date.now()
      // DATA_DIR stays the default `.data`, inside the private checkout.
      const run = await startNpm(checkout, { DATA_DIR: undefined })
      runs.push(run)
      await untilHealthy(run, 90_000)
      const healthyAfter = Date.now() - startedAt
      const pgdata = path.join(checkout, ".data", "postgres", "pgdata")
      const postmaster = await postmasterPid(pgdata)
      started.push(postmaster)
      const binaries = path.dirname(path.dirname(await fs.readlink(`/proc/${postmaster}/exe`)))
      const cluster = path.dirname(await fs.realpath(pgdata))
      // The stand-ins the service made for this checkout; the shared binaries of another checkout are kept.
      standIns.push(cluster)
      if (binaries.startsWith(path.dirname(cluster))) standIns.push(binaries)

      process.kill(run.npm.pid ?? -1, "SIGTERM")
      const npmCode = await run.exited
      const left = await leftOf(pgdata, 5_000)
      console.log(
        `[fault] private checkout (${install}): /health 200 after ${healthyAfter} ms; cluster in ${cluster}, binaries in ${binaries}; SIGTERM to npm: exit ${npmCode}, PostgreSQL processes left=${left.length}`
      )
      expect(run.output()).not.toContain("EACCES")
      expect(npmCode, run.output()).toBe(0)
      expect(alive(postmaster)).toBe(false)
      expect(left).toEqual([])
    },
    150_000
  )

  it("when it truly cannot start, says why and what to do in one line, no stack trace", async () => {
    // A cluster already inside a private folder cannot be moved behind the operator's back.
    const dataDir = path.join(privateDir, "data-with-cluster")
    await fs.mkdir(path.join(dataDir, "postgres", "pgdata"), { recursive: true })
    await fs.writeFile(path.join(dataDir, "postgres", "pgdata", "PG_VERSION"), "18\n")
    const run = await startNpm(checkout, { DATA_DIR: dataDir })
    runs.push(run)
    const code = await run.exited
    const lines = run.output().split("\n").filter((l) => l.startsWith("{"))
    console.log(`[fault] unreachable cluster: exit ${code}; ${lines.length} log line(s): ${lines.join(" | ")}`)
    expect(code).toBe(1)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/"level":"ERROR".*the embedded PostgreSQL cannot start: .*; .*DATABASE_URL/)
    expect(run.output()).not.toMatch(/\n\s+at /)
  }, 60_000)
})
