import { type ChildProcess, execFile, spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { afterEach, describe, expect, it } from "vitest"
import { freePort, npmStartArgs, repoRoot, waitFor } from "../../bench/lib/service.js"
import { alive, exitWithin, postmasterPid } from "../faults/support/npm-start.js"

const exec = promisify(execFile)

interface Started {
  readonly child: ChildProcess
  readonly port: number
  readonly output: () => string
  readonly exited: Promise<number | null>
}

const running: Array<Started> = []
const folders: Array<string> = []

afterEach(async () => {
  for (const { child } of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
  }
  for (const dir of folders.splice(0)) await fs.rm(dir, { recursive: true, force: true })
})

const dataFolder = async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-main-"))
  await fs.chmod(dir, 0o755)
  folders.push(dir)
  return dir
}

/** What `npm start` runs, on an embedded PostgreSQL in `dataDir` unless `env` says otherwise. */
const start = async (dataDir: string, port?: number, env: Record<string, string> = {}): Promise<Started> => {
  const listening = port ?? (await freePort())
  const child = spawn(process.execPath, npmStartArgs(), {
    env: {
      ...process.env,
      PORT: String(listening),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      ...env
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()))
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  const started = { child, port: listening, output: () => output, exited }
  running.push(started)
  return started
}

const health = (started: Started) =>
  waitFor("/health", async () => {
    const response = await fetch(`http://127.0.0.1:${started.port}/health`).catch(() => undefined)
    return response?.status === 200 ? await response.json() : undefined
  }, 30_000).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${started.output()}`)
  })

const postmasterOf = (dataDir: string) => postmasterPid(path.join(dataDir, "postgres", "pgdata"))

/** The ERROR lines the process printed (JSON log lines). */
const errorLines = (output: string) => output.split("\n").filter((line) => line.includes(`"level":"ERROR"`))

// as a newcomer meets it: `npm start` with no DATABASE_URL serves /health on an embedded
// PostgreSQL, and SIGTERM stops both, leaving no server behind.
describe("npm start", () => {
  it("serves /health within 30 s on its embedded PostgreSQL, and a SIGTERM stops both", async () => {
    const dataDir = await dataFolder()
    const service = await start(dataDir)
    expect(await health(service)).toEqual({ status: "ok", database: "up" })
    const pgPid = await postmasterOf(dataDir)
    expect(alive(pgPid)).toBe(true)

    service.child.kill("SIGTERM")
    expect(await service.exited).toBe(0)
    expect(await waitFor("the postmaster to exit", async () => (alive(pgPid) ? undefined : true), 10_000, 200)).toBe(
      true
    )
    expect(service.output()).not.toMatch(/postgres:\/\/postgres:[^@\s]+@/)
    // An operator reading the logs sees the stop begin and end, in the service's own JSON lines.
    const messages = service.output().split("\n").filter((l) => l.startsWith("{")).map((l) =>
      (JSON.parse(l) as { message: string }).message
    )
    const stopping = messages.indexOf("SIGTERM received: stopping; sync attempts in flight have up to 30s to settle")
    expect(stopping, service.output()).toBeGreaterThan(-1)
    expect(messages.at(-1), service.output()).toMatch(/^stopped in \d+ ms$/)
  }, 60_000)

  // A second start on the same folder used to stop the first's PostgreSQL as an orphan: the first
  // then answered "database down" for good.
  it("a second start on the data folder of a running one is refused, and the first keeps its database", async () => {
    const dataDir = await dataFolder()
    const first = await start(dataDir)
    await health(first)
    const pgPid = await postmasterOf(dataDir)

    const second = await start(dataDir)
    expect(await exitWithin(second.exited, 30_000), second.output()).toBe(1)
    const errors = errorLines(second.output())
    expect(errors, second.output()).toHaveLength(1)
    expect(errors[0]).toContain(`is in use by another running process of the service (pid ${first.child.pid})`)
    expect(errors[0]).toContain("DATA_DIR")
    expect(second.output()).not.toContain("stopping the PostgreSQL left running")

    expect(alive(pgPid)).toBe(true)
    expect(await postmasterOf(dataDir)).toBe(pgPid)
    expect(await health(first)).toEqual({ status: "ok", database: "up" })

    // A command on the same folder is told what to do instead, in one line, and leaves the service alone.
    const command = (...args: ReadonlyArray<string>) =>
      exec(process.execPath, ["node_modules/.bin/tsx", ...args], {
        cwd: repoRoot,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
        timeout: 30_000
      }).then(() => ({ code: 0, stderr: "" }), (e: { code: number; stderr: string }) => e)
    const inUse = `the service runs on this DATA_DIR's embedded PostgreSQL (pid ${first.child.pid})`
    const apiKeys = await command("src/app/api-key-cli.ts", "list")
    expect(apiKeys.code).toBe(1)
    expect(apiKeys.stderr).toContain(`api-key failed: ${inUse}: call the /api/admin/api-keys routes instead`)
    const rotation = await command("src/app/credentials-cli.ts", "rotate")
    expect(rotation.code).toBe(1)
    expect(rotation.stderr.trim()).toBe(
      `credentials rotate failed: ${inUse}: stop the service, run this command, then start the service again`
    )
    expect(await health(first)).toEqual({ status: "ok", database: "up" })
  }, 90_000)

  it("a port another process listens on is refused in one line naming the address, and nothing is left", async () => {
    const taken = net.createServer()
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, "127.0.0.1", () => resolve((taken.address() as net.AddressInfo).port))
    )
    try {
      const dataDir = await dataFolder()
      const service = await start(dataDir, port)
      expect(await exitWithin(service.exited, 30_000), service.output()).toBe(1)
      const errors = errorLines(service.output())
      expect(errors, service.output()).toEqual([expect.stringContaining(
        `"message":"cannot listen on 127.0.0.1:${port}: another process is listening there; stop it or set PORT to a free port"`
      )])
      expect(service.output()).not.toContain("ServeError")
      // The server it started was stopped cleanly: PostgreSQL removes its lock file then.
      const lockFile = path.join(dataDir, "postgres", "pgdata", "postmaster.pid")
      expect(await fs.access(lockFile).then(() => "left", () => "removed")).toBe("removed")
    } finally {
      taken.close()
    }
  }, 60_000)

  it("a DATABASE_URL nothing answers on is waited for DATABASE_CONNECT_WAIT, then refused in one line", async () => {
    const dbPort = await freePort()
    const service = await start(await dataFolder(), undefined, {
      DATABASE_URL: `postgres://sync:pw-9d2f@127.0.0.1:${dbPort}/sync`,
      DATABASE_CONNECT_WAIT: "2 seconds",
      CREDENTIALS_KEY: Buffer.alloc(32, 7).toString("base64")
    })
    expect(await exitWithin(service.exited, 30_000), service.output()).toBe(1)
    expect(errorLines(service.output()), service.output()).toEqual([expect.stringContaining(
      `"message":"cannot connect to the database at sync@127.0.0.1:${dbPort}/sync: connection refused (waited 2s)"`
    )])
    expect(service.output()).toContain(`waiting up to 2s for the database at sync@127.0.0.1:${dbPort}/sync`)
    expect(service.output()).not.toContain("pw-9d2f")
    expect(service.output()).not.toContain("SqlError")
  }, 60_000)

  it("a setting out of its range stops the start before anything else, in one JSON line", async () => {
    const dataDir = await dataFolder()
    const service = await start(dataDir, undefined, { PORT: "70000", DATABASE_POOL_SIZE: "0" })
    expect(await exitWithin(service.exited, 30_000), service.output()).toBe(1)
    const lines = service.output().trim().split("\n")
    expect(lines, service.output()).toHaveLength(1)
    const line = JSON.parse(lines[0]!) as { level: string; message: string }
    expect(line.level).toBe("ERROR")
    expect(line.message.startsWith("the service cannot start: ")).toBe(true)
    expect(line.message).toContain("PORT must be from 0 to 65535")
    expect(line.message).toContain("DATABASE_POOL_SIZE must be at least 1")
    // Refused before the embedded database was set up.
    expect(await fs.readdir(dataDir)).toEqual([])
  }, 60_000)
})
