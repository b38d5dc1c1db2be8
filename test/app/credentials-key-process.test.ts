import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { freePort, waitFor } from "../../bench/lib/service.js"
import { freshDatabaseUrl } from "../support/database.js"

// Issue 18: a second service process on the same database with a different key refuses to start,
// in one line; with the same key it serves.

const start = (databaseUrl: string, key: Buffer) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const port = await freePort()
      // From the sources, so the test does not wait for a build of dist/.
      const child = spawn(process.execPath, ["--import", "tsx", "src/app/main.ts"], {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: "127.0.0.1",
          DATABASE_URL: databaseUrl,
          CREDENTIALS_KEYS: key.toString("base64"),
          WORKERS_ENABLED: "false",
          LOG_FORMAT: "json"
        },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let output = ""
      child.stdout.on("data", (c: Buffer) => (output += c.toString()))
      child.stderr.on("data", (c: Buffer) => (output += c.toString()))
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
      return { child, port, exited, output: () => output }
    }),
    ({ child }) => Effect.sync(() => void (child.exitCode === null && child.kill("SIGKILL")))
  )

const healthy = (port: number) =>
  Effect.promise(() =>
    waitFor("/health", async () => {
      const response = await fetch(`http://127.0.0.1:${port}/health`)
      return response.status === 200 ? true : undefined
    }, 30_000)
  )

describe("credentials key at start", () => {
  it.live(
    "a second process with another key exits 1 with one line; the same key serves",
    () =>
      Effect.scoped(Effect.gen(function*() {
        const url = yield* freshDatabaseUrl
        const key = randomBytes(32)
        const first = yield* start(url, key)
        assert.isTrue(yield* healthy(first.port), first.output())

        const other = randomBytes(32)
        const second = yield* start(url, other)
        assert.strictEqual(yield* Effect.promise(() => second.exited), 1, second.output())
        const refusals = second.output().split("\n").filter((line) => line.includes("does not decrypt"))
        assert.strictEqual(refusals.length, 1, second.output())
        assert.notInclude(second.output(), other.toString("base64"))
        assert.notInclude(second.output(), key.toString("base64"))

        const third = yield* start(url, key)
        assert.isTrue(yield* healthy(third.port), third.output())
        first.child.kill("SIGTERM")
        third.child.kill("SIGTERM")
        assert.strictEqual(yield* Effect.promise(() => third.exited), 0)
      })),
    90_000
  )
})
