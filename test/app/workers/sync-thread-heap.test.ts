import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { syncThreadHeap } from "../../../src/app/workers/sync-thread/host.js"

/** The node flags `npm start` gives the service, read from package.json as users run it. */
const startFlags = (): ReadonlyArray<string> => {
  const scripts = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts as Record<string, string>
  return scripts["start"]!.replace(/^exec\s+/, "").split(/\s+/).filter((arg) => arg.startsWith("--"))
}

interface Heap {
  readonly limitMb: number
  readonly newSpaceMb: number
}

// Allocates until the young generation has grown to its largest, then reads the heap's sizes.
const churn = `
  const v8 = require("node:v8")
  let keep = []
  for (let i = 0; i < 2e6; i++) { keep.push({ i, a: [i] }); if (keep.length > 100000) keep = [] }
  const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")
  const heap = { limitMb: Math.round(v8.getHeapStatistics().heap_size_limit / 1048576), newSpaceMb: newSpace.space_size / 1048576 }
`

/** The heaps of a process started with `flags`: its main thread's, and a worker's given `limits`. */
const heapsUnder = (flags: ReadonlyArray<string>, limits: object): { main: Heap; worker: Heap } => {
  const program = `
    const { Worker } = require("node:worker_threads")
    ${churn}
    const worker = new Worker(${
    JSON.stringify(`${churn}; require("node:worker_threads").parentPort.postMessage(heap)`)
  }, {
      eval: true, resourceLimits: ${JSON.stringify(limits)}
    })
    worker.once("message", (w) => { console.log(JSON.stringify({ main: heap, worker: w })); worker.terminate() })
  `
  return JSON.parse(execFileSync(process.execPath, [...flags, "-e", program], { encoding: "utf8" }))
}

describe("the sync thread's heap", () => {
  it("under npm start's flags is sized as the main thread's, with the old generation capped", () => {
    const { main, worker } = heapsUnder(startFlags(), syncThreadHeap)
    expect(worker).toEqual(main)
    // 256 MB of old generation and the young generation's three 8 MB semi-spaces.
    expect(worker.limitMb).toBeLessThanOrEqual(300)
  }, 60_000)

  it("keeps its old generation capped when the service runs without those flags", () => {
    const { worker } = heapsUnder([], syncThreadHeap)
    expect(worker.limitMb).toBeLessThanOrEqual(syncThreadHeap.maxOldGenerationSizeMb + 64)
  }, 60_000)
})
