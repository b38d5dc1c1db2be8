import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { freePort, waitFor } from "../../../bench/lib/service.js"

/** `npm start` as an operator runs it: its own process group, so a Ctrl-C can be imitated. */
export interface NpmStart {
  readonly npm: ChildProcess
  readonly port: number
  readonly output: () => string
  readonly exited: Promise<number | null>
  /** The node process npm runs (the service itself). */
  readonly nodePid: () => Promise<number>
}

/** `env` overrides the test's environment; an undefined value unsets the variable. */
export const startNpm = async (cwd: string, env: Record<string, string | undefined>): Promise<NpmStart> => {
  const port = await freePort()
  // The simulators run on loopback: the egress policy allows them only when named (issue 18).
  const merged = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: "",
    PLATFORM_URL_ALLOWLIST: "127.0.0.1,localhost",
    ...env
  }
  const npm = spawn("npm", ["start"], {
    cwd,
    env: Object.fromEntries(
      Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)
    ),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true
  })
  let output = ""
  npm.stdout?.on("data", (c: Buffer) => (output += c.toString()))
  npm.stderr?.on("data", (c: Buffer) => (output += c.toString()))
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)))
  // npm runs the script through a shell, which may stay in between: look below npm, not only under it.
  const nodePid = () =>
    waitFor("the node process under npm", async () => {
      let generation = [npm.pid ?? -1]
      while (generation.length > 0) {
        const next: Array<number> = []
        for (const parent of generation) next.push(...(await childrenOf(parent)))
        for (const pid of next) {
          if ((await commandOf(pid)).startsWith("node")) return pid
        }
        generation = next
      }
      return undefined
    }, 5_000)
  return { npm, port, output: () => output, exited, nodePid }
}

export const health = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/health`)
  return response.status
}

/** Waits for /health 200; on time-out the error carries what the service printed. */
export const untilHealthy = (run: NpmStart, timeoutMs: number) =>
  waitFor("/health 200", async () => ((await health(run.port)) === 200 ? true : undefined), timeoutMs, 250).catch(
    (e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${run.output()}`)
    }
  )

const pids = async () => (await fs.readdir("/proc")).filter((e) => /^\d+$/.test(e)).map(Number)

const commandOf = (pid: number) =>
  fs.readFile(`/proc/${pid}/cmdline`, "utf8").then((c) => c.split("\0").join(" "), () => "")

const childrenOf = async (parent: number) => {
  const found: Array<number> = []
  for (const pid of await pids()) {
    const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8").catch(() => "")
    // The parent's pid is the 2nd field after the parenthesised command name.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    if (Number(fields[1]) === parent) found.push(pid)
  }
  return found
}

/**
 * Every live PostgreSQL process of a cluster: the postmaster and its children all run `postgres`
 * from inside the data folder.
 */
export const clusterProcesses = async (dataDir: string) => {
  const real = await fs.realpath(dataDir)
  const found: Array<number> = []
  for (const pid of await pids()) {
    try {
      const exe = (await fs.readlink(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, "")
      if (path.basename(exe) === "postgres" && (await fs.realpath(`/proc/${pid}/cwd`)) === real) found.push(pid)
    } catch {
      // Gone, a zombie, or someone else's.
    }
  }
  return found
}

export const postmasterPid = async (dataDir: string) =>
  Number((await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0])

/** The exit code a process ends with, or "still running" after `withinMs`. */
export const exitWithin = (exited: Promise<number | null>, withinMs: number) =>
  Promise.race([
    exited,
    new Promise<string>((resolve) => setTimeout(() => resolve("still running"), withinMs).unref())
  ])

/** Running, not merely a zombie not yet reaped (an orphan's new parent may reap it late). */
export const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"))
  } catch {
    return false
  }
}

/** Waits (bounded) until no process of the cluster is left, and returns the ones still there. */
export const leftOf = async (dataDir: string, withinMs: number) => {
  const deadline = Date.now() + withinMs
  let left = await clusterProcesses(dataDir)
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    left = await clusterProcesses(dataDir)
  }
  return left
}

/**
 * Ends what a test started and left running, by the PIDs it knows: each `npm start` with its
 * process group (npm, a shell, node), and the cluster's own processes.
 */
export const killAll = (runs: ReadonlyArray<NpmStart>, pidsToKill: ReadonlyArray<number>) => {
  for (const run of runs) {
    const pid = run.npm.pid
    if (pid === undefined) continue
    try {
      process.kill(-pid, "SIGKILL")
    } catch {
      // The group is gone.
    }
  }
  for (const pid of pidsToKill) {
    if (pid > 0 && alive(pid)) process.kill(pid, "SIGKILL")
  }
}
