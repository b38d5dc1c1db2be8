import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { repoRoot } from "../../bench/lib/service.js"

const exec = promisify(execFile)

/** The README's example for the main app's tests, as written there. */
const readmeExample = async () => {
  const readme = await fs.readFile(path.join(repoRoot, "README.md"), "utf8")
  const section = readme.slice(readme.indexOf("## Using it in the main app's tests"))
  const block = /```ts\n([\s\S]*?)```/.exec(section)
  if (block === null) throw new Error("no ts example in the README's section on the main app's tests")
  return block[1]!
}

const run = (command: string, args: ReadonlyArray<string>, cwd: string, timeout: number) =>
  exec(command, [...args], { cwd, timeout, maxBuffer: 16 * 1024 * 1024 }).catch((error: unknown) => {
    const failed = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`${command} ${args.join(" ")}: ${failed.message}\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`)
  })

interface Packed {
  readonly filename: string
  readonly integrity: string
  readonly files: ReadonlyArray<{ readonly path: string }>
}

interface LockEntry {
  readonly version: string
  readonly resolved?: string
  readonly dev?: boolean
  readonly devOptional?: boolean
  readonly dependencies?: Record<string, string>
}

/**
 * This project's lockfile may record no tarball addresses (npm's omit-lockfile-registry-resolved):
 * without one, npm asks the registry's metadata where a package is, which an offline install
 * cannot. The address is the registry's usual one; the cache holds the tarball by its integrity.
 */
const registryTarball = (at: string, entry: LockEntry) => {
  const name = at.slice(at.lastIndexOf("node_modules/") + "node_modules/".length)
  return entry.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split("/").at(-1)}-${entry.version}.tgz`
}

/**
 * A main app depending on the tarball only, with a lockfile: the registry's metadata is not in
 * the npm cache (`npm ci` fetched tarballs only), so an offline `npm install` could not resolve
 * version ranges. The lockfile pins the package's run-time dependencies to this project's.
 */
const writeConsumer = async (dir: string, packed: Packed) => {
  const ours = JSON.parse(await fs.readFile(path.join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>
  }
  const tarball = `file:${packed.filename}`
  const dependencies = { "alloresto-sync": tarball }
  const runtime = Object.entries(ours.packages).filter(([at, entry]) =>
    at.startsWith("node_modules/") && entry.dev !== true && entry.devOptional !== true
  )
  const lock = {
    name: "main-app",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "main-app", dependencies },
      "node_modules/alloresto-sync": {
        version: "0.1.0",
        resolved: tarball,
        integrity: packed.integrity,
        dependencies: ours.packages[""]!.dependencies
      },
      ...Object.fromEntries(runtime.map(([at, entry]) => [at, { ...entry, resolved: registryTarball(at, entry) }]))
    }
  }
  await fs.writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "main-app", private: true, type: "module", dependencies })
  )
  await fs.writeFile(path.join(dir, "package-lock.json"), JSON.stringify(lock, null, 2))
}

// Issue 22: the main app installs the package, compiles against its declarations with plain tsc
// and runs its JavaScript with node: no tsx, no @types/node, none of our compiler settings. The
// dist/ packed is the one the global setup has just built from the working tree.
describe("the package as the main app installs it", () => {
  let scratch = ""
  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-consumer-"))
  })
  afterAll(() => fs.rm(scratch, { recursive: true, force: true }))

  it("packs, installs offline, and the README example compiles with tsc and runs with node", async () => {
    // The build already ran (global setup); packing must not rebuild the working tree's dist/.
    const packed = await run(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch],
      repoRoot,
      60_000
    )
    const [report] = JSON.parse(packed.stdout) as ReadonlyArray<Packed>
    const files = report!.files.map((f) => f.path)
    expect(files).toContain("dist/app/testing.js")
    expect(files).toContain("dist/app/testing.d.ts")
    expect(files).toContain("dist/app/http/ops/assets/ops.js")
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/") || f.endsWith(".tsbuildinfo"))).toEqual([])

    await fs.writeFile(
      path.join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          types: [],
          skipLibCheck: false
        },
        files: ["example.ts"]
      })
    )
    await fs.writeFile(path.join(scratch, "example.ts"), await readmeExample())
    await writeConsumer(scratch, report!)
    // Offline, from the lockfile: every dependency comes from the npm cache that installed this
    // project. Install scripts are not needed to compile and run the example.
    await run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], scratch, 120_000)
    // Plain tsc: this project's compiler binary, with the scratch project's settings only.
    await run(
      process.execPath,
      [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
      scratch,
      120_000
    )
    const ran = await run(process.execPath, ["example.js"], scratch, 60_000)
    expect(ran.stdout.trim()).toBe("Ana Ruiz 4")
  }, 360_000)

  // `alloresto-sync/domain` and `/ports` are the barrels: a module added beside them joins them.
  it.each(["domain", "ports"])("src/%s/index.ts re-exports every module of its folder", async (folder) => {
    const dir = path.join(repoRoot, "src", folder)
    const modules = (await fs.readdir(dir)).filter((f) => f.endsWith(".ts") && f !== "index.ts")
    const index = await fs.readFile(path.join(dir, "index.ts"), "utf8")
    expect(modules.filter((f) => !index.includes(`export * from "./${f.replace(/\.ts$/, ".js")}"`))).toEqual([])
  })
})
