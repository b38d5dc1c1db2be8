import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { freePort, npmStartArgs, waitFor } from "../../bench/lib/service.js"

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// as a newcomer meets it: `npm start` with no DATABASE_URL serves /health on an embedded
// PostgreSQL, and SIGTERM stops both, leaving no server behind.
describe("npm start", () => {
  it("serves /health within 30 s on its embedded PostgreSQL, and a SIGTERM stops both", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-main-"))
    await fs.chmod(dataDir, 0o755)
    const port = await freePort()
    const child = spawn(process.execPath, npmStartArgs(), {
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (c: Buffer) => (output += c.toString()))
    child.stderr.on("data", (c: Buffer) => (output += c.toString()))
    try {
      const health = await waitFor("/health", async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health`)
        return response.status === 200 ? await response.json() : undefined
      }, 30_000)
      expect(health, output).toEqual({ status: "ok", database: "up" })
      const pidFile = await fs.readFile(path.join(dataDir, "postgres", "pgdata", "postmaster.pid"), "utf8")
      const pgPid = Number(pidFile.split("\n")[0])
      expect(alive(pgPid)).toBe(true)

      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
      child.kill("SIGTERM")
      expect(await exited).toBe(0)
      expect(await waitFor("the postmaster to exit", async () => (alive(pgPid) ? undefined : true), 10_000, 200)).toBe(
        true
      )
      expect(output).not.toMatch(/postgres:\/\/postgres:[^@\s]+@/)
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})
