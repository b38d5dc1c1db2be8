import fs from "node:fs"

const CLOCK_TICKS_PER_SECOND = 100

const statFields = (pid: number, file = `/proc/${pid}/stat`) => {
  try {
    const stat = fs.readFileSync(file, "utf8")
    // The command name may hold spaces and parentheses: fields are counted after its last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  } catch {
    return undefined
  }
}

/** Sum of the clock-tick fields (after the command name) at `indexes`, in seconds. */
const seconds = (fields: ReadonlyArray<string>, ...indexes: ReadonlyArray<number>) =>
  indexes.reduce((sum, i) => sum + Number(fields[i]), 0) / CLOCK_TICKS_PER_SECOND

// Fields after the command name: 1 is the parent's pid; 11-12 user and system time; 13-14 those of reaped children.
const PARENT = 1, UTIME = 11, STIME = 12, CUTIME = 13, CSTIME = 14

/** CPU seconds (user + system, every thread) a live process has used; undefined off Linux. */
export const processCpuSeconds = (pid: number): number | undefined => {
  const fields = statFields(pid)
  return fields === undefined ? undefined : seconds(fields, UTIME, STIME)
}

/** CPU seconds of a process's main thread alone (its HTTP server), without its other threads. */
export const mainThreadCpuSeconds = (pid: number): number | undefined => {
  const fields = statFields(pid, `/proc/${pid}/task/${pid}/stat`)
  return fields === undefined ? undefined : seconds(fields, UTIME, STIME)
}

/**
 * CPU seconds of a process and its children, live (PostgreSQL's backends are its postmaster's
 * children) and ended (a backend whose pooled connection closed is counted by the postmaster once
 * it has reaped it: the cutime and cstime fields).
 */
export const treeCpuSeconds = (pid: number): number | undefined => {
  const fields = statFields(pid)
  if (fields === undefined) return undefined
  let total = seconds(fields, UTIME, STIME, CUTIME, CSTIME)
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    const fields = statFields(Number(entry))
    if (fields !== undefined && Number(fields[PARENT]) === pid) total += seconds(fields, UTIME, STIME)
  }
  return total
}

export interface CpuProbe {
  /** CPU seconds so far of the server under load and of the database, when they can be read. */
  readonly read: () => { readonly server: number | undefined; readonly database: number | undefined }
}

export const cpuProbe = (serverPid: () => number, databasePid: number | undefined): CpuProbe => ({
  read: () => ({
    server: processCpuSeconds(serverPid()),
    database: databasePid === undefined ? undefined : treeCpuSeconds(databasePid)
  })
})

/** Milliseconds of CPU per event between two readings; null when either side could not be read. */
export const cpuMsPerEvent = (before: number | undefined, after: number | undefined, events: number) =>
  before === undefined || after === undefined || events === 0
    ? null
    : Math.round(((after - before) * 1000 / events) * 100) / 100
