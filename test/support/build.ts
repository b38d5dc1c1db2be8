import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { promisify } from "node:util"

const exec = promisify(execFile)
const repoRoot = path.resolve(import.meta.dirname, "..", "..")
const cacheDir = path.join(repoRoot, "node_modules", ".cache", "alloresto-sync")
const stamp = path.join(cacheDir, "dist-built")
const lock = path.join(cacheDir, "dist-build.lock")

const newestMtime = async (entry: string): Promise<number> => {
  const stat = await fs.stat(entry).catch(() => undefined)
  if (stat === undefined) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  const names = await fs.readdir(entry)
  return Math.max(stat.mtimeMs, ...(await Promise.all(names.map((name) => newestMtime(path.join(entry, name))))))
}

const sourcesChangedSince = async (builtAt: number) => {
  const inputs = ["src", "tsconfig.json", "tsconfig.build.json", "scripts/build.mjs"].map((p) => path.join(repoRoot, p))
  return Math.max(...(await Promise.all(inputs.map(newestMtime)))) > builtAt
}

/** Another run in the same tree (vitest, the fault suite) may be building: one at a time. */
const withLock = async <A>(f: () => Promise<A>): Promise<A> => {
  await fs.mkdir(cacheDir, { recursive: true })
  const deadline = Date.now() + 300_000
  for (;;) {
    try {
      await fs.mkdir(lock)
      break
    } catch {
      const held = await fs.stat(lock).catch(() => undefined)
      // A holder killed mid-build leaves its lock: a build never takes five minutes.
      if (held !== undefined && Date.now() - held.mtimeMs > 300_000) await fs.rm(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`dist/ build lock held for 5 minutes: ${lock}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  try {
    return await f()
  } finally {
    await fs.rm(lock, { recursive: true, force: true })
  }
}

/**
 * The tests that start the service as `npm start` does run the compiled dist/: this brings it up
 * to date with the working tree first. Skipped when nothing under src/ changed since the last
 * build (tsc takes seconds even with nothing to do).
 */
export const buildDist = () =>
  withLock(async () => {
    const builtAt = (await fs.stat(stamp).catch(() => undefined))?.mtimeMs ?? 0
    const present = await fs.stat(path.join(repoRoot, "dist", "app", "main.js")).then(() => true, () => false)
    if (present && !(await sourcesChangedSince(builtAt))) return
    const startedAt = new Date()
    await exec(process.execPath, ["scripts/build.mjs", "--allow-type-errors"], {
      cwd: repoRoot,
      timeout: 300_000,
      // A tree in the middle of a change may print many type errors.
      maxBuffer: 64 * 1024 * 1024
    })
    // The time the build started: a file saved while it ran makes the next run build again.
    await fs.writeFile(stamp, "")
    await fs.utimes(stamp, startedAt, startedAt)
  })
