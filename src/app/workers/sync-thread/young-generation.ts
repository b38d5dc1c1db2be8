import * as v8 from "node:v8"
import type { Worker } from "node:worker_threads"

const SEMI_SPACE_FLAG = /^--max[-_]semi[-_]space[-_]size=(\d+)$/

/** The process's own semi-space size (npm start sets it), or V8's default, 0. */
const processSemiSpaceMb = () => {
  for (const arg of process.execArgv) {
    const match = SEMI_SPACE_FLAG.exec(arg)
    if (match !== null) return Number(match[1])
  }
  return 0
}

/**
 * Starts a worker whose young generation has semi-spaces of `semiSpaceMb`. V8 sizes every isolate
 * by the process's `--max-semi-space-size`, and a worker's `resourceLimits` cannot raise it
 * (test/app/workers/sync-thread-heap.test.ts): the flag is set for the new isolate alone, and put
 * back as the process had it once the worker runs (its isolate is made by then), so the threads
 * created afterwards are sized as before.
 */
export const startWithSemiSpace = (semiSpaceMb: number, start: () => Worker): Worker => {
  let restored = false
  const restore = () => {
    if (restored) return
    restored = true
    v8.setFlagsFromString(`--max-semi-space-size=${processSemiSpaceMb()}`)
  }
  v8.setFlagsFromString(`--max-semi-space-size=${semiSpaceMb}`)
  try {
    const worker = start()
    worker.once("online", restore)
    worker.once("exit", restore)
    return worker
  } catch (error) {
    restore()
    throw error
  }
}
