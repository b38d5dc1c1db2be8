import { Duration, Effect, Schedule } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { EmbeddedPostgresError, remedyDefault } from "./embedded-postgres-error.js"

type ProcessState = "running" | "gone"

// A process that has exited but was not yet reaped still answers kill(pid, 0): read its state.
const stateOf = (pid: number): Promise<ProcessState> =>
  fs.readFile(`/proc/${pid}/stat`, "utf8").then(
    (stat) => (/^\d+ \(.*\) [ZX]/s.test(stat) ? "gone" : "running"),
    () => "gone"
  )

/** The file name of the program `pid` runs (an upgraded binary reads "… (deleted)"). */
const programOf = async (pid: number) =>
  path.basename((await fs.readlink(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, ""))

/**
 * Whether `pid` is a postmaster serving `dataDir`: its program is `postgres` and its working folder
 * is the data folder (the postmaster moves there at start). Undefined when it cannot be told.
 */
const servesDataDir = async (pid: number, dataDir: string): Promise<boolean | undefined> => {
  try {
    const program = await programOf(pid)
    const cwd = await fs.realpath(`/proc/${pid}/cwd`)
    return program === "postgres" && cwd === (await fs.realpath(dataDir))
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? false : undefined
  }
}

// The parent's pid is the second field after the parenthesised command name.
const parentOf = (pid: number): Promise<number | undefined> =>
  fs.readFile(`/proc/${pid}/stat`, "utf8").then(
    (stat) => Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]),
    () => undefined
  )

/**
 * The live service (or any node process running one, a test for instance) that started `postmaster`:
 * the embedded cluster is its child until it dies, when the cluster is handed to an init process.
 * Undefined for an orphan: its parent is gone, or is no node process, or is one this user may not
 * look at (an init process run by root).
 */
const ownerOf = async (postmaster: number): Promise<number | undefined> => {
  const parent = await parentOf(postmaster)
  if (parent === undefined || (await stateOf(parent)) === "gone") return undefined
  const program = await programOf(parent).catch(() => "")
  return program === path.basename(process.execPath) ? parent : undefined
}

/** The running process the folder's `postmaster.pid` names, if any. */
const recordedPostmaster = (dataDir: string) =>
  Effect.promise(async () => {
    const recorded = await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "")
    const pid = Number(recorded.split("\n")[0])
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined
    return (await stateOf(pid)) === "running" ? pid : undefined
  })

/**
 * The process of the service running on the folder's cluster, if one does: what a command sharing
 * the folder must not start beside. An orphan's folder is free (the next start takes it over).
 */
export const clusterInUse = (dataDir: string) =>
  Effect.gen(function*() {
    const pid = yield* recordedPostmaster(dataDir)
    if (pid === undefined || (yield* Effect.promise(() => servesDataDir(pid, dataDir))) !== true) return undefined
    return yield* Effect.promise(() => ownerOf(pid))
  })

const untilGone = (pid: number, within: Duration.DurationInput) =>
  Effect.promise(() => stateOf(pid)).pipe(
    Effect.repeat({ schedule: Schedule.spaced("100 millis"), until: (state) => state === "gone" }),
    Effect.timeoutTo({ duration: within, onSuccess: () => true, onTimeout: () => false })
  )

const signal = (pid: number, name: NodeJS.Signals) =>
  Effect.sync(() => {
    try {
      process.kill(pid, name)
    } catch {
      // Already gone.
    }
  })

/**
 * A cluster left running by a service that was killed outright (SIGKILL) is stopped before the new
 * server takes the data folder. Only the process recorded in the folder's `postmaster.pid` is
 * signalled, and only after checking it is a postgres of that folder: a PID reused by something
 * else is left alone, and its stale lock file removed so PostgreSQL does not refuse to start.
 * A cluster whose service still runs is not an orphan: the start is refused, since stopping it
 * would take that service's database away.
 */
export const stopOrphanPostmaster = (dataDir: string) =>
  Effect.gen(function*() {
    const pidFile = path.join(dataDir, "postmaster.pid")
    const pid = yield* recordedPostmaster(dataDir)
    if (pid === undefined) return
    const serves = yield* Effect.promise(() => servesDataDir(pid, dataDir))
    if (serves === undefined) return
    if (!serves) {
      yield* Effect.logWarning(`removing a stale postmaster.pid: pid ${pid} is not a postgres of ${dataDir}`)
      yield* Effect.promise(() => fs.rm(pidFile, { force: true }))
      return
    }
    const owner = yield* Effect.promise(() => ownerOf(pid))
    if (owner !== undefined) {
      return yield* new EmbeddedPostgresError({
        message: `its data folder ${dataDir} is in use by another running process of the service (pid ${owner})`,
        remedy: `stop that process first, or give this one a DATA_DIR of its own, or ${remedyDefault}`
      })
    }
    yield* Effect.logWarning(`stopping the PostgreSQL left running by an earlier run (pid ${pid})`)
    // SIGINT: fast shutdown (sessions ended, data flushed); SIGQUIT: immediate; SIGKILL: last resort.
    for (
      const [name, within] of [["SIGINT", "15 seconds"], ["SIGQUIT", "5 seconds"], ["SIGKILL", "5 seconds"]] as const
    ) {
      yield* signal(pid, name)
      if (yield* untilGone(pid, within)) return
    }
    return yield* new EmbeddedPostgresError({
      message: `the PostgreSQL left running by an earlier run (pid ${pid}) does not stop`,
      remedy: `stop process ${pid}, or ${remedyDefault}`
    })
  })
