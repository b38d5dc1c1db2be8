// Preloaded (`node --import`) into each server the bench starts, and so into its worker threads,
// which inherit the flag: RSS is one figure for the whole process (/proc), but the heaps are per
// thread (isolate), and the memory target needs to know which thread holds what. Every thread
// writes its own peaks to BENCH_MEMORY_DIR/<pid>-<threadId>.json twice a second.
import { writeFileSync } from "node:fs"
import { threadId } from "node:worker_threads"
import v8 from "node:v8"

const dir = process.env.BENCH_MEMORY_DIR
if (dir !== undefined && dir !== "") {
  const file = `${dir}/${process.pid}-${threadId}.json`
  const peak = { pid: process.pid, threadId, samples: 0 }
  const keep = (name, value) => {
    peak[name] = Math.max(peak[name] ?? 0, Math.round(value / 2 ** 20))
  }
  const sample = () => {
    const heap = v8.getHeapStatistics()
    keep("heapCommittedMb", heap.total_physical_size)
    keep("heapUsedMb", heap.used_heap_size)
    keep("externalMb", heap.external_memory)
    keep("mallocedMb", heap.malloced_memory)
    for (const space of v8.getHeapSpaceStatistics()) keep(`${space.space_name}Mb`, space.physical_space_size)
    // Process-wide: the same figure from every thread, kept once by the main thread.
    if (threadId === 0) keep("rssMb", process.memoryUsage.rss())
    peak.samples++
    try {
      writeFileSync(file, JSON.stringify(peak))
    } catch {
      // The run's directory may be gone while the server stops: nothing to report then.
    }
  }
  // unref: the probe must never keep a stopping server (or a finished thread) alive.
  setInterval(sample, 500).unref()
}
