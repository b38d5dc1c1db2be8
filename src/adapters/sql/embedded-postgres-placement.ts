import { Effect } from "effect"
import { execFile } from "node:child_process"
import { createHash } from "node:crypto"
import type { Stats } from "node:fs"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { EmbeddedPostgresError, remedyDefault, tryPromise } from "./embedded-postgres-error.js"

const exec = promisify(execFile)

/** The unprivileged user the server runs as when the service runs as root. */
export interface PostgresUser {
  readonly uid: number
  readonly gid: number
}

/** Where the server's binaries and its cluster live, and who runs them. */
export interface ClusterPlacement {
  readonly runAs: PostgresUser | undefined
  /** Holds `postgres` and `initdb`. */
  readonly binDir: string
  /** Holds `pgdata/` and the generated password; the working folder of the server. */
  readonly homeDir: string
}

// PostgreSQL refuses to run as root; CI and containers run as root, so the cluster is owned by a
// dedicated `postgres` system user, created when missing.
const postgresUser: Effect.Effect<PostgresUser, EmbeddedPostgresError> = Effect.gen(function*() {
  const lookup = tryPromise("looking up the postgres user", async () => {
    const uid = Number((await exec("id", ["-u", "postgres"])).stdout.trim())
    const gid = Number((await exec("id", ["-g", "postgres"])).stdout.trim())
    return { uid, gid }
  })
  return yield* lookup.pipe(
    Effect.orElse(() =>
      tryPromise(
        "creating the postgres system user",
        () => exec("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]),
        `create a 'postgres' system user (useradd --system --user-group postgres), run as a non-root user, or ${remedyDefault}`
      ).pipe(Effect.zipRight(lookup))
    )
  )
})

// A spawned server gets the user's uid and gid but no supplementary groups (libuv drops them),
// so only the owner, group and other bits count.
const searchableBy = (stat: Stats, user: PostgresUser) =>
  stat.uid === user.uid
    ? (stat.mode & 0o100) !== 0
    : stat.gid === user.gid
    ? (stat.mode & 0o010) !== 0
    : (stat.mode & 0o001) !== 0

/** Whether `user` can walk down to `dir`: every folder on its real path must be searchable. */
const reachableBy = (dir: string, user: PostgresUser) =>
  Effect.tryPromise(async () => {
    const parts = (await fs.realpath(dir)).split(path.sep).filter((p) => p !== "")
    const folders = parts.map((_, i) => path.sep + parts.slice(0, i + 1).join(path.sep))
    for (const folder of [path.sep, ...folders]) {
      if (!searchableBy(await fs.stat(folder), user)) return false
    }
    return true
  }).pipe(Effect.orElseSucceed(() => false))

const binariesRunBy = (binDir: string, user: PostgresUser) =>
  Effect.promise(() =>
    exec(path.join(binDir, "postgres"), ["--version"], { uid: user.uid, gid: user.gid, cwd: "/" }).then(
      () => true,
      () => false
    )
  )

const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16)

const remedyReachable =
  `clone the service outside private folders (e.g. under /opt or /srv), point DATA_DIR at a folder every user can traverse, or ${remedyDefault}`

/**
 * The folder that holds what the postgres user must reach when the checkout cannot be reached:
 * root's own, mode 0755, in /var/lib or else the temporary folder. A folder someone else owns or
 * may write to is refused, as the server's binaries would run from it.
 */
const standInBase = (user: PostgresUser) =>
  Effect.gen(function*() {
    const candidates = ["/var/lib/alloresto-sync", path.join(os.tmpdir(), "alloresto-sync")]
    const refused: Array<string> = []
    for (const base of candidates) {
      const usable = yield* Effect.tryPromise(async () => {
        await fs.mkdir(base, { recursive: true, mode: 0o755 })
        const stat = await fs.lstat(base)
        if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) return false
        if ((stat.mode & 0o755) !== 0o755) await fs.chmod(base, 0o755)
        return true
      }).pipe(Effect.orElseSucceed(() => false))
      if (usable && (yield* reachableBy(base, user))) return base
      refused.push(base)
    }
    return yield* new EmbeddedPostgresError({
      message: `no folder the postgres user can reach could be prepared (${refused.join(", ")})`,
      remedy: remedyReachable
    })
  })

/** Copies the binaries once per checkout and version, then renames, so two starts never see half a copy. */
const copyBinaries = (nativeDir: string, base: string) =>
  Effect.gen(function*() {
    const version = yield* Effect.promise(() =>
      fs.readFile(path.join(nativeDir, "..", "package.json"), "utf8").then(
        (text) => String((JSON.parse(text) as { version?: unknown }).version ?? "unknown"),
        () => "unknown"
      )
    )
    const target = path.join(base, `postgres-${version}-${shortHash(nativeDir)}`)
    const present = yield* Effect.promise(() =>
      fs.stat(path.join(target, "bin", "postgres")).then(() => true, () => false)
    )
    if (present) return target
    yield* Effect.logInfo(`copying the PostgreSQL binaries to ${target}, where the postgres user can run them`)
    const staging = `${target}.${process.pid}.tmp`
    yield* tryPromise("copying the PostgreSQL binaries", async () => {
      await fs.rm(staging, { recursive: true, force: true })
      await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true })
      await openToAll(staging)
      await fs.rename(staging, target).catch(async (e: NodeJS.ErrnoException) => {
        // Another start finished the same copy first.
        await fs.rm(staging, { recursive: true, force: true })
        if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e
      })
    }, remedyReachable)
    return target
  })

// A checkout made under umask 077 leaves the binaries readable by root alone.
const openToAll = async (dir: string): Promise<void> => {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isSymbolicLink()) continue
    const stat = await fs.stat(full)
    const wanted = entry.isDirectory() || (stat.mode & 0o100) !== 0 ? 0o755 : 0o644
    await fs.chmod(full, (stat.mode & 0o7777 & ~0o022) | wanted)
    if (entry.isDirectory()) await openToAll(full)
  }
}

/**
 * The cluster of a DATA_DIR the postgres user cannot reach lives in the stand-in folder, keyed by
 * that DATA_DIR's path; `pgdata` in DATA_DIR links to it, so the cluster is found where it was
 * always looked for (the backfill CLI, the operator).
 */
const standInHome = (rootDir: string, base: string) =>
  Effect.gen(function*() {
    const home = path.join(base, `cluster-${shortHash(rootDir)}`)
    const link = path.join(rootDir, "pgdata")
    const target = path.join(home, "pgdata")
    yield* tryPromise("preparing the cluster folder", async () => {
      const existing = await fs.lstat(link).catch(() => undefined)
      if (existing?.isDirectory() === true) {
        const cluster = await fs.stat(path.join(link, "PG_VERSION")).then(() => true, () => false)
        if (cluster) throw new Error(`${link} holds a cluster the postgres user cannot reach`)
      }
      await fs.mkdir(home, { recursive: true, mode: 0o755 })
      if (existing?.isSymbolicLink() === true) {
        if ((await fs.readlink(link)) === target) return
        await fs.unlink(link)
      } else if (existing?.isDirectory() === true) {
        await fs.rmdir(link)
      }
      await fs.symlink(target, link)
    }, remedyReachable)
    return home
  })

/**
 * Where the server runs from. As root the server runs as `postgres`, which must reach both its
 * binaries and its data: a checkout in a private folder (root's home, `mktemp -d`) hides both, so
 * what it cannot reach is placed in a root-owned 0755 folder instead (issue #19).
 */
export const placeCluster = (options: { readonly rootDir: string; readonly binDir: string }) =>
  Effect.gen(function*() {
    if (process.getuid?.() !== 0) {
      return { runAs: undefined, binDir: options.binDir, homeDir: options.rootDir } satisfies ClusterPlacement
    }
    const user = yield* postgresUser
    const binariesReachable = yield* binariesRunBy(options.binDir, user)
    // A cluster placed elsewhere by an earlier start stays there, even once DATA_DIR is reachable.
    const linked = yield* Effect.promise(() =>
      fs.lstat(path.join(options.rootDir, "pgdata")).then((s) => s.isSymbolicLink(), () => false)
    )
    const homeReachable = !linked && (yield* reachableBy(options.rootDir, user))
    if (binariesReachable && homeReachable) {
      return { runAs: user, binDir: options.binDir, homeDir: options.rootDir } satisfies ClusterPlacement
    }
    const base = yield* standInBase(user)
    const binDir = binariesReachable
      ? options.binDir
      : path.join(yield* copyBinaries(path.dirname(options.binDir), base), "bin")
    if (!binariesReachable && !(yield* binariesRunBy(binDir, user))) {
      return yield* new EmbeddedPostgresError({
        message: `the postgres user cannot run the PostgreSQL binaries, even copied to ${binDir}`,
        remedy: remedyReachable
      })
    }
    const homeDir = homeReachable ? options.rootDir : yield* standInHome(options.rootDir, base)
    if (!homeReachable) {
      yield* Effect.logInfo(
        `the embedded PostgreSQL keeps its cluster in ${homeDir}, where the postgres user can reach it, linked from ${
          path.join(options.rootDir, "pgdata")
        }`
      )
    }
    return { runAs: user, binDir, homeDir } satisfies ClusterPlacement
  })
