import fs from "node:fs"

const CLOCK_TICKS_PER_SECOND = 100

const statFields = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    // The command name may hold spaces and parentheses: fields are counted after its last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  } catch {
    return undefined
  }
}

/** CPU seconds (user + system, every thread) a live process has used; undefined off Linux. */
export const processCpuSeconds = (pid: number): number | undefined => {
  const fields = statFields(pid)
  return fields === undefined ? undefined : (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
}

/**
 * CPU seconds of a process and its children, live (PostgreSQL's backends are its postmaster's
 * children) and ended (a backend whose pooled connection closed is counted by the postmaster once
 * it has reaped it: the cutime and cstime fields).
 */
export const treeCpuSeconds = (pid: number): number | undefined => {
  const fields = statFields(pid)
  if (fields === undefined) return undefined
  let total = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    const fields = statFields(Number(entry))
    if (fields !== undefined && Number(fields[1]) === pid) total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
  }
  return total
}

export interface CpuProbe {
  /** CPU seconds so far of the server under load and of the database, when they can be read. */
  readonly read: () => { readonly server: number | undefined; readonly database: number | undefined }
}

export const cpuProbe = (serverPid: () => number, databasePid: number | undefined): CpuProbe => ({
  read: () => ({ server: processCpuSeconds(serverPid()), database: databasePid === undefined ? undefined : treeCpuSeconds(databasePid) })
})

/** Milliseconds of CPU per event between two readings; null when either side could not be read. */
export const cpuMsPerEvent = (before: number | undefined, after: number | undefined, events: number) =>
  before === undefined || after === undefined || events === 0 ? null : Math.round(((after - before) * 1000 / events) * 100) / 100
