import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { repoRoot } from "../../bench/lib/service.js"

const exec = promisify(execFile)

/**
 * `npm run build` in a checkout that already holds a dist/ from an older one (a pull, then
 * `npm ci`): it runs in a scratch copy of the build's inputs, so the dist/ the other tests run
 * is left alone.
 */
describe("the build script", () => {
  let scratch = ""
  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-build-"))
    for (const file of ["tsconfig.json", "tsconfig.build.json", "scripts/build.mjs"]) {
      await fs.mkdir(path.dirname(path.join(scratch, file)), { recursive: true })
      await fs.copyFile(path.join(repoRoot, file), path.join(scratch, file))
    }
    await fs.writeFile(path.join(scratch, "package.json"), JSON.stringify({ type: "module" }))
    await fs.symlink(path.join(repoRoot, "node_modules"), path.join(scratch, "node_modules"))
    await fs.mkdir(path.join(scratch, "src/app/http/ops/assets"), { recursive: true })
    await fs.writeFile(path.join(scratch, "src/app/http/ops/assets/ops.css"), "body {}\n")
    await fs.writeFile(path.join(scratch, "src/app/main.ts"), "export const answer: number = 42\n")
  })
  afterAll(() => fs.rm(scratch, { recursive: true, force: true }))

  it("builds from an empty dist/: what an older checkout left there is not shipped", async () => {
    // A module whose source was removed since, and an incremental build's state.
    await fs.mkdir(path.join(scratch, "dist/app"), { recursive: true })
    await fs.writeFile(path.join(scratch, "dist/app/removed-since.js"), "export const old = 1\n")
    await fs.writeFile(path.join(scratch, "dist/.tsbuildinfo"), "{}")

    await exec(process.execPath, ["scripts/build.mjs"], { cwd: scratch, timeout: 120_000 })

    const built = await fs.readdir(path.join(scratch, "dist"), { recursive: true })
    expect(built).toContain(path.join("app", "main.js"))
    expect(built).toContain(path.join("app", "main.d.ts"))
    expect(built).toContain(path.join("app", "http", "ops", "assets", "ops.css"))
    expect(built).not.toContain(path.join("app", "removed-since.js"))
    expect(built).not.toContain(".tsbuildinfo")
  }, 150_000)
})
