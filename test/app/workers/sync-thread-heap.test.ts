import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { npmStartArgs } from "../../../bench/lib/service.js"
import { syncThreadHeap } from "../../../src/app/workers/sync-thread/host.js"

/** The node flags `npm start` gives the service. */
const startFlags = npmStartArgs().filter((arg) => arg.startsWith("--"))

/**
 * The heap limits of a process started with `flags`: its main thread's, and a worker's given
 * `limits`. V8's limit is the old generation's cap plus the young generation's (three semi-spaces),
 * so it shows both settings.
 */
const heapLimitsUnder = (flags: ReadonlyArray<string>, limits: object): { main: number; worker: number } => {
  const limitMb = `Math.round(require("node:v8").getHeapStatistics().heap_size_limit / 1048576)`
  const program = `
    const { Worker } = require("node:worker_threads")
    const worker = new Worker(${JSON.stringify(`require("node:worker_threads").parentPort.postMessage(${limitMb})`)}, {
      eval: true, resourceLimits: ${JSON.stringify(limits)}
    })
    worker.once("message", (w) => { console.log(JSON.stringify({ main: ${limitMb}, worker: w })); worker.terminate() })
  `
  return JSON.parse(execFileSync(process.execPath, [...flags, "-e", program], { encoding: "utf8" }))
}

describe("the sync thread's heap", () => {
  it("under npm start's flags is sized as the main thread's, with the old generation capped", () => {
    const { main, worker } = heapLimitsUnder(startFlags, syncThreadHeap)
    expect(worker).toBe(main)
    // The old generation's cap and the young generation's three semi-spaces, as the flags give them.
    const flag = (name: string) => Number(startFlags.find((f) => f.startsWith(`--${name}=`))?.split("=")[1])
    expect(worker).toBe(flag("max-old-space-size") + 3 * flag("max-semi-space-size"))
  }, 30_000)

  it("keeps its old generation capped when the service runs without those flags", () => {
    const { worker } = heapLimitsUnder([], syncThreadHeap)
    expect(worker).toBeLessThanOrEqual(syncThreadHeap.maxOldGenerationSizeMb + 64)
  }, 30_000)
})
