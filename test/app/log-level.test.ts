import { Effect } from "effect"
import { spawn } from "node:child_process"
import { describe, expect, it } from "vitest"
import { freePort, waitFor } from "../../bench/lib/service.js"
import { freshDatabaseUrl } from "../support/database.js"

/** Starts the service as `npm start` does, on a database of its own, with the given LOG_LEVEL. */
const startWith = async (logLevel: string, databaseUrl: string) => {
  const port = await freePort()
  const child = spawn(process.execPath, ["--import", "tsx", "src/app/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: logLevel,
      SYNC_THREAD: "false",
      CREDENTIALS_KEYS: Buffer.alloc(32, 7).toString("base64"),
      PLATFORM_URL_ALLOWLIST: "127.0.0.1,localhost"
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout.on("data", (c: Buffer) => (output += c.toString()))
  child.stderr.on("data", (c: Buffer) => (output += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  try {
    const status = await Promise.race([
      waitFor("/health", async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)
        return response?.status === 200 ? response.status : undefined
      }, 60_000),
      exited.then((code) => `exited with ${code}`)
    ])
    // Served, then a request that logs at Info: a Warning level keeps that line out.
    if (status === 200) await fetch(`http://127.0.0.1:${port}/api/sync/retry`).catch(() => undefined)
    return { status, output: () => output }
  } finally {
    if (child.exitCode === null) {
      child.kill("SIGTERM")
      await exited
    }
  }
}

// Issue 20, item 9: the README documents LOG_LEVEL values `All` … `Warning` … `None`; the usual
// lowercase names (warn, info) are accepted too. `Warning` used to stop the service at start.
describe("LOG_LEVEL", () => {
  for (const level of ["Warning", "warn", "info", "ERROR"]) {
    it(`LOG_LEVEL=${level} starts the service and serves /health`, async () => {
      const result = await Effect.runPromise(
        Effect.scoped(
          Effect.flatMap(freshDatabaseUrl, (databaseUrl) => Effect.promise(() => startWith(level, databaseUrl)))
        )
      )
      expect(result.status, result.output()).toBe(200)
      if (level === "Warning" || level === "warn" || level === "ERROR") {
        expect(result.output()).not.toMatch(/"level":"INFO"/)
      }
    }, 60_000)
  }
})
