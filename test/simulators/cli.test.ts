import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** Runs `npm run simulator`'s command to its end: its exit code and what it printed. */
const simulatorCli = (args: ReadonlyArray<string>) =>
  Effect.async<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>((resume) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "src/simulators/cli.ts", ...args],
      { timeout: 30_000 },
      (error, stdout, stderr) => resume(Effect.succeed({ code: error === null ? 0 : child.exitCode, stdout, stderr }))
    )
  })

const busyPort = Effect.acquireRelease(
  Effect.async<http.Server>((resume) => {
    const server = http.createServer()
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) =>
    Effect.async<void>((resume) => {
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map((server) => (server.address() as AddressInfo).port))

describe("npm run simulator", () => {
  it.scopedLive("on a port in use, says so in one line and exits 1", () =>
    Effect.gen(function*() {
      const port = yield* busyPort
      const run = yield* simulatorCli(["zenchef", "--port", String(port)])
      assert.strictEqual(run.code, 1)
      assert.strictEqual(run.stdout, "")
      assert.strictEqual(
        run.stderr,
        `simulator not started: listen EADDRINUSE: address already in use 127.0.0.1:${port} (give another --port, or 0 for any free one)\n`
      )
    }), 40_000)

  it.live("names the platforms when none is given, and exits 2", () =>
    Effect.gen(function*() {
      const run = yield* simulatorCli([])
      assert.strictEqual(run.code, 2)
      assert.strictEqual(
        run.stderr,
        "usage: npm run simulator -- <zenchef|thefork|sevenrooms|ubereats|deliveroo> [--port <n>] [--no-rate-limit]\n"
      )
    }), 40_000)
})
