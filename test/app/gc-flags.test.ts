import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { npmStartFlags } from "../../bench/lib/service.js"

/** The node flags `npm start` gives the service. */
const startFlags = npmStartFlags()

/**
 * Two threads (as the service runs its HTTP and sync threads) that each keep some 20 MB alive in a
 * ring while allocating a fixed amount (not for a time: a busy machine would allocate less), so
 * that both old generations are marked (concurrently) and compacted many times.
 * Some combinations of V8's collector flags pass its checks at start and abort the process at its
 * first mark-compact (`--no-parallel-marking` beside concurrent marking does).
 */
const churn = `
  import { Worker } from "node:worker_threads"
  const ring = new Array(150).fill(null)
  for (let i = 0; i < 2000; i++) {
    ring[i % ring.length] = Array.from({ length: 2000 }, (_, k) => ({ k, s: "v" + k }))
  }
`

const run = (flags: ReadonlyArray<string>) => {
  const program = `${churn}
    const worker = new Worker(${JSON.stringify(churn)}, { eval: true })
    await new Promise((resolve, reject) => { worker.once("exit", resolve); worker.once("error", reject) })
    console.log("survived")
  `
  return execFileSync(process.execPath, [...flags, "--trace-gc", "--input-type=module", "-e", program], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"]
  })
}

describe("npm start's garbage-collector flags", () => {
  it("are a combination V8 runs through many mark-compacts on two threads", () => {
    const output = run(startFlags)
    expect(output).toContain("survived")
    expect(output.match(/Mark-Compact/g)?.length ?? 0).toBeGreaterThanOrEqual(4)
  }, 30_000)

  it("would catch a combination that aborts at the first mark-compact", () => {
    expect(() => run([...startFlags, "--no-parallel-marking"])).toThrow()
  }, 30_000)
})
