import { execFile } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { afterEach, describe, expect, it } from "vitest"
import { repoRoot } from "../../bench/lib/service.js"

const exec = promisify(execFile)
const script = path.join(repoRoot, "scripts", "check-dist.mjs")

const folders: Array<string> = []
afterEach(async () => {
  for (const dir of folders.splice(0)) await fs.rm(dir, { recursive: true, force: true })
})

/** A checkout's shape: `src/` and, when `built`, `dist/app/main.js`, with the given ages. */
const checkout = async (files: Record<string, Date>) => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-check-dist-"))
  folders.push(root)
  for (const [file, at] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await fs.writeFile(path.join(root, file), "export {}\n")
    await fs.utimes(path.join(root, file), at, at)
  }
  return root
}

const check = (root: string) =>
  exec(process.execPath, [script, root]).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr })
  )

const earlier = new Date(Date.now() - 60_000)
const later = new Date()

// `npm start` (its prestart) runs the compiled dist/.
describe("the start's check of dist/", () => {
  it("stops the start in one line when dist/ was never built", async () => {
    const { code, stderr } = await check(await checkout({ "src/app/main.ts": earlier }))
    expect(code).toBe(1)
    expect(stderr).toContain(`"level":"ERROR","message":"dist/ is not built: run \`npm run build\``)
  })

  it("warns, and lets the start go on, when a source changed since the build", async () => {
    const root = await checkout({ "dist/app/main.js": earlier, "src/app/deep/er/module.ts": later })
    const { code, stderr } = await check(root)
    expect(code).toBe(0)
    expect(stderr).toContain(`"level":"WARN","message":"src/ changed since dist/ was built`)
  })

  it("says nothing when dist/ is up to date, or when there is no src/ (an installed package)", async () => {
    expect(await check(await checkout({ "src/app/main.ts": earlier, "dist/app/main.js": later }))).toEqual({
      code: 0,
      stderr: ""
    })
    expect(await check(await checkout({ "dist/app/main.js": earlier }))).toEqual({ code: 0, stderr: "" })
  })
})
