import { Clock, Duration, Effect, Fiber, Layer, Redacted } from "effect"
import { Worker } from "node:worker_threads"
import { SyncStatus } from "../../../ports/sync-status.js"
import { DatabaseUrl } from "../../database-layer.js"
import { countSettlement } from "../../observability/metrics.js"
import { SyncSettings } from "../settings.js"
import { type FromSyncThread, stopMessage, type SyncThreadData } from "./messages.js"
import { startWithSemiSpace } from "./young-generation.js"

/**
 * The thread's entry. Compiled (npm start), it is the JavaScript module beside this one; run from
 * the TypeScript sources (vitest, tsx), the new thread lacks its parent's loader, and boot.mjs
 * registers one before loading thread.ts.
 */
const threadEntry = import.meta.url.endsWith(".ts")
  ? new URL("./boot.mjs", import.meta.url)
  : new URL("./thread.js", import.meta.url)

/**
 * The sync thread's heap (issue 22). Under `npm start` the process's `--max-old-space-size` caps
 * its old generation: V8 applies the process's flags to every isolate, and a worker's
 * `resourceLimits` cannot raise them (test/app/workers/sync-thread-heap.test.ts); its young
 * generation is set apart (below). The cap here matters when `dist/app/main.js` runs without those
 * flags: V8 then collects this thread's old space before it swells to hundreds of MB of garbage,
 * as it does when the cap is the machine's.
 */
export const syncThreadHeap = { maxOldGenerationSizeMb: 256 }

/**
 * The sync thread's semi-spaces, twice npm start's 8 MB for the HTTP thread. A push lives through
 * a platform call and a database round trip, several of the thread's scavenges at 48 pushes in
 * flight, so with 8 MB what it holds was promoted and collected again by mark-compacts: garbage
 * collection took over a third of the thread's time after the writes of a raw outbound run. With
 * 16 MB the pushes after the writes went 11% and 14% faster in runs alternating with 8 MB
 * (bench/HISTORY.md, 12-07), for about 20 MB more at the service's peak; 32 MB took it past 300 MB.
 */
export const SYNC_THREAD_SEMI_SPACE_MB = 16

/**
 * One run of the sync thread, until it ends. Interrupted (the service stops), it is asked to
 * finish the work in flight and waited for.
 */
const runThread = (databaseUrl: Redacted.Redacted, stopGrace: Duration.Duration) =>
  Effect.async<string | null>((resume) => {
    const data: SyncThreadData = { databaseUrl: Redacted.value(databaseUrl) }
    const worker = startWithSemiSpace(
      SYNC_THREAD_SEMI_SPACE_MB,
      () => new Worker(threadEntry, { workerData: data, resourceLimits: syncThreadHeap })
    )
    let failure: string | null = null
    worker.on("message", (message: FromSyncThread) => {
      if (message._tag === "Settled") {
        Effect.runSync(Effect.forEach(message.entries, countSettlement, { discard: true }))
      } else failure = message.failure
    })
    worker.on("error", (error) => {
      failure = error.message.split("\n", 1)[0]!
    })
    worker.once("exit", (code) => resume(Effect.succeed(failure ?? (code === 0 ? null : `exit code ${code}`))))
    return Effect.async<void>((stopped) => {
      worker.once("exit", () => stopped(Effect.void))
      worker.postMessage(stopMessage)
    }).pipe(
      Effect.timeoutTo({
        duration: stopGrace,
        onSuccess: () => Effect.void,
        onTimeout: () => Effect.promise(() => worker.terminate())
      }),
      Effect.flatten
    )
  })

/** Restarts wait 1 s, 2 s, 4 s, ... up to a minute; a run that lasted this long starts the count again. */
const FIRST_RESTART = Duration.seconds(1)
const LAST_RESTART = Duration.minutes(1)
const HEALTHY_RUN = Duration.minutes(1)
/** A new run counts as up once it has lasted this long (one that fails at once stays down). */
const UP_AFTER = Duration.seconds(5)

/**
 * The sync workers in their own thread for the service's lifetime. A thread that ends on its own
 * (a defect, the database gone) is logged in one line and started again with exponential backoff
 * (issue 19), and /health reports the sync side down until a new run holds.
 */
export const SyncThreadLive = Layer.scopedDiscard(
  Effect.gen(function*() {
    const url = yield* DatabaseUrl
    const status = yield* SyncStatus
    const { stopGrace } = yield* SyncSettings
    const supervised = Effect.gen(function*() {
      let failures = 0
      while (true) {
        const started = yield* Clock.currentTimeMillis
        const up = yield* Effect.fork(Effect.delay(status.markUp, UP_AFTER))
        const failure = yield* runThread(url, stopGrace)
        yield* Fiber.interrupt(up)
        if ((yield* Clock.currentTimeMillis) - started >= Duration.toMillis(HEALTHY_RUN)) failures = 0
        const wait = Duration.min(Duration.times(FIRST_RESTART, 2 ** Math.min(failures, 16)), LAST_RESTART)
        failures++
        const reason = failure ?? "ended"
        yield* status.markDown(reason)
        yield* Effect.logError(`sync thread ended: ${reason}; restart ${failures} in ${Duration.format(wait)}`)
        yield* Effect.sleep(wait)
      }
    })
    yield* Effect.forkScoped(supervised)
    yield* Effect.logInfo("sync thread started")
  })
)
