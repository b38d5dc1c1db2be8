import { Effect, Exit, Scope } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { adminApiKey, freePort, npmStartArgs, waitFor } from "../../bench/lib/service.js"
import { freshDatabaseUrl } from "../support/database.js"
import { samples } from "../support/samples.js"

const syncsCounted = (metrics: string, status: string) =>
  metrics.split("\n").filter((line) => line.startsWith("alloresto_syncs_total{") && line.includes(`status="${status}"`))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0)

// The real entry point runs the sync workers in a thread of its own (SYNC_THREAD, on by default):
// queued work must still be claimed and settled, its counts must reach the /metrics the HTTP side
// serves, and a SIGTERM must stop the thread with the rest.
describe("npm start with the sync thread", () => {
  const scope = Effect.runSync(Scope.make())
  let databaseUrl = ""
  beforeAll(async () => {
    databaseUrl = await Effect.runPromise(Scope.extend(freshDatabaseUrl, scope))
  })
  afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

  it("settles a queued push in the thread, counts it on /metrics, and stops on SIGTERM", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-thread-"))
    const port = await freePort()
    const child = spawn(process.execPath, npmStartArgs(), {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        WORKER_POLL_INTERVAL: "50 millis",
        CREDENTIALS_KEYS: Buffer.alloc(32, 7).toString("base64"),
        PLATFORM_URL_ALLOWLIST: "127.0.0.1,localhost",
        // Every route but /health and the webhooks takes an API key (issue 17).
        ADMIN_API_KEY: adminApiKey
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stdout.on("data", (c: Buffer) => (output += c.toString()))
    child.stderr.on("data", (c: Buffer) => (output += c.toString()))
    const base = `http://127.0.0.1:${port}`
    const authorization = { authorization: `Bearer ${adminApiKey}` }
    const post = async (route: string, body: unknown) => {
      const response = await fetch(`${base}${route}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...authorization },
        body: JSON.stringify(body)
      })
      expect(response.status, `${route}: ${await response.clone().text()}`).toBe(201)
      return (await response.json()) as { readonly id: string }
    }
    try {
      expect(
        await waitFor("/health", async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 30_000, 200),
        output
      ).toBe(true)
      // SYNC_THREAD_NICE (10 by default) lowers the sync thread only: the HTTP thread keeps niceness 0.
      const threadNiceness = async () =>
        Promise.all(
          (await fs.readdir(`/proc/${child.pid}/task`)).map(async (tid) =>
            Number((await fs.readFile(`/proc/${child.pid}/task/${tid}/stat`, "utf8")).split(") ")[1]!.split(" ")[16])
          )
        )
      // The thread lowers itself once it has loaded: wait for it.
      const niceness = await waitFor(
        "the sync thread to lower its priority",
        async () => {
          const all = await threadNiceness()
          return all.includes(10) ? all : undefined
        },
        20_000,
        200
      ).catch(threadNiceness)
      expect(niceness.filter((n) => n === 10), output).toHaveLength(1)
      expect(niceness.filter((n) => n === 0).length).toBeGreaterThan(1)
      const restaurantId = `resto-${crypto.randomUUID().slice(0, 8)}`
      // Nothing listens on port 9: the push fails as a platform outage does, and is scheduled again.
      await post("/api/platform-configs", {
        restaurantId,
        platform: "zenchef",
        credentials: { apiKey: "thread-test-key", restaurantUid: "abcd1234", baseUrl: "http://127.0.0.1:9" },
        syncEntities: ["reservation"]
      })
      const before = syncsCounted(await (await fetch(`${base}/metrics`, { headers: authorization })).text(), "retry")
      await post("/api/reservations", samples.reservation(restaurantId))
      const after = await waitFor(
        "the retry counted on /metrics",
        async () => {
          const counted = syncsCounted(
            await (await fetch(`${base}/metrics`, { headers: authorization })).text(),
            "retry"
          )
          return counted > before ? counted : undefined
        },
        // The sync thread runs niced (10): on a busy two-core machine its first attempt can take a while.
        40_000,
        200
      )
      expect(after, output).toBe(before + 1)
      const retrying = (await (await fetch(`${base}/api/sync/jobs?status=retrying&restaurantId=${restaurantId}`, {
        headers: authorization
      })).json()) as {
        items: ReadonlyArray<{ attempts: number }>
      }
      expect(retrying.items.map((j) => j.attempts)).toEqual([1])

      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
      child.kill("SIGTERM")
      expect(await exited, output).toBe(0)
      expect(output).toContain("sync thread started")
      expect(output).not.toContain("sync thread ended")
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  }, 90_000)
})
