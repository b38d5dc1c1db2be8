import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { useApiKey } from "./http.js"

export const repoRoot = path.resolve(import.meta.dirname, "..", "..")

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export const waitFor = async <A>(
  what: string,
  check: () => Promise<A | undefined>,
  timeoutMs: number,
  everyMs = 100
): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      lastError = error
    }
    await sleep(everyMs)
  }
  throw new Error(`timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ""}`)
}

export interface ServiceOptions {
  readonly databaseUrl: string
  readonly dataDir: string
  readonly logFile: string
  /** Extra environment (WORKER_*, PLATFORM_RATE_*, MAX_BODY_BYTES...). */
  readonly env?: Readonly<Record<string, string>>
  /** Entry point relative to the repository; the service unless told (the baseline uses it too). */
  readonly entry?: string
  readonly healthPath?: string
  /** Where each thread's heap peaks go (bench/lib/memory-probe.mjs); none when absent. */
  readonly memoryDir?: string
  /** Modules preloaded (node --import) into every thread of the server, as file paths. */
  readonly preload?: ReadonlyArray<string>
}

/** One thread's peaks as the memory probe wrote them (MB). */
export interface ThreadMemory {
  readonly pid: number
  readonly threadId: number
  readonly heapCommittedMb: number
  readonly heapUsedMb: number
  readonly externalMb: number
  readonly new_spaceMb?: number
  readonly old_spaceMb?: number
  readonly rssMb?: number
  readonly [space: string]: number | undefined
}

/** A server started as a child process so it can be measured (VmHWM) and killed like a real one. */
export interface ServiceProcess {
  readonly url: string
  readonly port: number
  readonly pid: () => number
  /** Starts it again (after `stop`); `env` changes its environment from now on. */
  readonly start: (env?: Readonly<Record<string, string>>) => Promise<void>
  /** Sends `signal` and waits for the process to exit. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<void>
  /** Peak resident set size so far, in kB (Linux /proc). */
  readonly peakRssKb: () => number | undefined
  readonly alive: () => boolean
  /** Each thread's heap peaks so far (main thread first), when started with `memoryDir`. */
  readonly threadMemory: () => ReadonlyArray<ThreadMemory>
}

const memoryProbe = path.join(repoRoot, "bench", "lib", "memory-probe.mjs")

/**
 * BENCH_NODE_FLAGS (space-separated) replaces the node flags of `npm start`, to compare settings
 * (young generation sizes...) back to back; the entry stays the compiled one.
 */
const serviceArgs = () => {
  const args = npmStartArgs()
  const flags = process.env["BENCH_NODE_FLAGS"]
  return flags === undefined
    ? args
    : [...flags.split(/\s+/).filter((f) => f !== ""), ...args.filter((a) => !a.startsWith("--"))]
}

export const credentialsKey = randomBytes(32).toString("base64")
/** The admin key every bench service starts with (ADMIN_API_KEY), and the bench's calls carry. */
export const adminApiKey = `ars_${randomBytes(32).toString("base64url")}`
useApiKey(adminApiKey)

const readStatusKb = (pid: number, field: string) => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)
    return match === null ? undefined : Number(match[1])
  } catch {
    return undefined
  }
}

/** The arguments `npm start` gives node (its flags, the compiled entry), so the bench runs what users run. */
export const npmStartArgs = (): ReadonlyArray<string> => {
  const scripts = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts as Record<
    string,
    string
  >
  // `exec` only makes the shell npm starts give way to node.
  const [command, ...args] = scripts["start"]!.trim().replace(/^exec\s+/, "").split(/\s+/)
  if (command !== "node") throw new Error(`npm start is expected to run node, not ${command}`)
  return args
}

/** The node flags `npm start` gives the service (its arguments but the entry). */
export const npmStartFlags = (): ReadonlyArray<string> => npmStartArgs().filter((arg) => arg.startsWith("--"))

export const startService = async (options: ServiceOptions): Promise<ServiceProcess> => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let child: ChildProcess | undefined
  let peak: number | undefined
  const pids = new Set<number>()
  const log = fs.openSync(options.logFile, "a")
  let extraEnv: Readonly<Record<string, string>> = options.env ?? {}
  const start = async (env?: Readonly<Record<string, string>>) => {
    extraEnv = { ...extraEnv, ...env }
    // BENCH_PROFILE_DIR: each server writes a V8 CPU profile there when it exits (open in Chrome DevTools).
    const profile = process.env["BENCH_PROFILE_DIR"]
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env["BENCH_PROFILE_DIR"]}`]
      : []
    // node --import tsx (not the tsx CLI): the pid is then the service itself, not a wrapper.
    const program = options.entry === undefined ? serviceArgs() : ["--import", "tsx", options.entry]
    const probe = [...(options.memoryDir === undefined ? [] : [memoryProbe]), ...(options.preload ?? [])]
      .flatMap((file) => ["--import", pathToFileURL(file).href])
    if (options.memoryDir !== undefined) fs.mkdirSync(options.memoryDir, { recursive: true })
    child = spawn(process.execPath, [...profile, ...probe, ...program], {
      cwd: repoRoot,
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: options.databaseUrl,
        DATA_DIR: options.dataDir,
        CREDENTIALS_KEY: credentialsKey,
        ADMIN_API_KEY: adminApiKey,
        WORKERS_ENABLED: "true",
        // The simulators run on loopback: the egress policy allows them only when named (issue 18).
        PLATFORM_URL_ALLOWLIST: "127.0.0.1,localhost",
        ...(options.memoryDir === undefined ? {} : { BENCH_MEMORY_DIR: options.memoryDir }),
        ...extraEnv
      }
    })
    const started = child
    if (started.pid !== undefined) pids.add(started.pid)
    // Never leave a server behind: if this process ends first (an error, a timeout), the child goes too.
    const reap = () => started.kill("SIGKILL")
    process.once("exit", reap)
    started.once("exit", () => process.removeListener("exit", reap))
    await waitFor(
      `${options.entry ?? "the service"} on ${url}`,
      async () => {
        if (started.exitCode !== null || started.signalCode !== null) {
          throw new Error(
            `exited early, see ${options.logFile}`
          )
        }
        // Bounded: a connection that opens but never answers must not stall the start for ever.
        const response = await fetch(`${url}${options.healthPath ?? "/health"}`, { signal: AbortSignal.timeout(2_000) })
        return response.ok ? true : undefined
      },
      60_000,
      100
    )
  }
  const sample = () => {
    if (child?.pid === undefined) return
    const hwm = readStatusKb(child.pid, "VmHWM")
    if (hwm !== undefined) peak = Math.max(peak ?? 0, hwm)
  }
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    const running = child
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    sample()
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()))
    running.kill(signal)
    await Promise.race([exited, sleep(20_000).then(() => running.kill("SIGKILL"))])
    await exited
  }
  await start()
  return {
    url,
    port,
    pid: () => child?.pid ?? -1,
    start,
    stop,
    peakRssKb: () => {
      sample()
      return peak
    },
    alive: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    threadMemory: () => {
      const dir = options.memoryDir
      if (dir === undefined) return []
      return fs.readdirSync(dir)
        .filter((f) => pids.has(Number(f.split("-")[0])))
        .flatMap((f) => {
          try {
            return [JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as ThreadMemory]
          } catch {
            return []
          }
        })
        .sort((a, b) => a.pid - b.pid || a.threadId - b.threadId)
    }
  }
}
