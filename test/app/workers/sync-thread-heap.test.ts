import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { pathToFileURL } from "node:url"
import { npmStartFlags } from "../../../bench/lib/service.js"
import { SYNC_THREAD_SEMI_SPACE_MB, syncThreadHeap } from "../../../src/app/workers/sync-thread/host.js"

/** The node flags `npm start` gives the service. */
const startFlags = npmStartFlags()
const flag = (name: string) => Number(startFlags.find((f) => f.startsWith(`--${name}=`))?.split("=")[1])

const youngGeneration = pathToFileURL("src/app/workers/sync-thread/young-generation.ts").href

interface Limits {
  readonly main: number
  /** The sync thread's, started as the host starts it. */
  readonly syncThread: number
  /** A worker started plainly once the sync thread runs. */
  readonly after: number
}

/**
 * The heap limits of a process started with `flags`: its main thread's, a worker's started with
 * `startWithSemiSpace` and `limits` as the sync thread is, and a plain worker's started after it.
 * V8's limit is the old generation's cap plus the young generation's (three semi-spaces), so it
 * shows both settings.
 */
const heapLimitsUnder = (flags: ReadonlyArray<string>, limits: object): Limits => {
  // The workers inherit the program's --input-type=module: their code is a module too.
  const report = JSON.stringify(
    `import v8 from "node:v8"; import { parentPort } from "node:worker_threads";
    parentPort.postMessage(Math.round(v8.getHeapStatistics().heap_size_limit / 1048576))`
  )
  const program = `
    import { Worker } from "node:worker_threads"
    import v8 from "node:v8"
    import { startWithSemiSpace } from ${JSON.stringify(youngGeneration)}
    const limit = () => Math.round(v8.getHeapStatistics().heap_size_limit / 1048576)
    const reported = (worker) => new Promise((resolve) => worker.once("message", (mb) => { worker.terminate(); resolve(mb) }))
    const syncThread = startWithSemiSpace(${SYNC_THREAD_SEMI_SPACE_MB}, () =>
      new Worker(${report}, { eval: true, resourceLimits: ${JSON.stringify(limits)} }))
    const syncThreadMb = await reported(syncThread)
    const after = await reported(new Worker(${report}, { eval: true }))
    console.log(JSON.stringify({ main: limit(), syncThread: syncThreadMb, after }))
  `
  return JSON.parse(
    execFileSync(process.execPath, [...flags, "--import", "tsx", "--input-type=module", "-e", program], {
      encoding: "utf8"
    })
  )
}

describe("the sync thread's heap", () => {
  it("under npm start's flags: the old generation capped as the main thread's, semi-spaces of its own", () => {
    const { after, main, syncThread } = heapLimitsUnder(startFlags, syncThreadHeap)
    expect(main).toBe(flag("max-old-space-size") + 3 * flag("max-semi-space-size"))
    expect(syncThread).toBe(flag("max-old-space-size") + 3 * SYNC_THREAD_SEMI_SPACE_MB)
    expect(SYNC_THREAD_SEMI_SPACE_MB).toBeGreaterThan(flag("max-semi-space-size"))
    // The process's own setting is back once the thread runs: a later thread is sized as before.
    expect(after).toBe(main)
  }, 30_000)

  it("keeps its old generation capped when the service runs without those flags", () => {
    const { after, main, syncThread } = heapLimitsUnder([], syncThreadHeap)
    expect(syncThread).toBe(syncThreadHeap.maxOldGenerationSizeMb + 3 * SYNC_THREAD_SEMI_SPACE_MB)
    expect(after).toBe(main)
  }, 30_000)
})
