import { Duration, Effect, Layer, Redacted, Schedule } from "effect"
import { Worker } from "node:worker_threads"
import { DatabaseUrl } from "../../database-layer.js"
import { countSettlement } from "../../observability/metrics.js"
import { type FromSyncThread, stopMessage, type SyncThreadData } from "./messages.js"

/**
 * The thread's entry. Compiled (npm start), it is the JavaScript module beside this one; run from
 * the TypeScript sources (vitest, tsx), the new thread lacks its parent's loader, and boot.mjs
 * registers one before loading thread.ts.
 */
const threadEntry = import.meta.url.endsWith(".ts")
  ? new URL("./boot.mjs", import.meta.url)
  : new URL("./thread.js", import.meta.url)

/** How long a stopping thread may take to finish a batch in flight before it is terminated. */
const STOP_GRACE = Duration.seconds(30)

/**
 * One run of the sync thread, until it ends. Interrupted (the service stops), it is asked to
 * finish the work in flight and waited for.
 */
const runThread = (databaseUrl: Redacted.Redacted) =>
  Effect.async<string | null>((resume) => {
    const data: SyncThreadData = { databaseUrl: Redacted.value(databaseUrl) }
    // A young generation as large as the main thread's (npm start): Effect allocates many short-lived objects.
    const worker = new Worker(threadEntry, {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: 96 }
    })
    let failure: string | null = null
    worker.on("message", (message: FromSyncThread) => {
      if (message._tag === "Settled") {
        Effect.runSync(Effect.forEach(message.entries, countSettlement, { discard: true }))
      } else failure = message.failure
    })
    worker.on("error", (error) => {
      failure = error.message
    })
    worker.once("exit", (code) => resume(Effect.succeed(failure ?? (code === 0 ? null : `exit code ${code}`))))
    return Effect.async<void>((stopped) => {
      worker.once("exit", () => stopped(Effect.void))
      worker.postMessage(stopMessage)
    }).pipe(
      Effect.timeoutTo({
        duration: STOP_GRACE,
        onSuccess: () => Effect.void,
        onTimeout: () => Effect.promise(() => worker.terminate())
      }),
      Effect.flatten
    )
  })

/**
 * The sync workers in their own thread for the service's lifetime. A thread that ends on its own
 * (a defect) is logged and started again: syncing never stops quietly.
 */
export const SyncThreadLive = Layer.scopedDiscard(
  Effect.gen(function*() {
    const url = yield* DatabaseUrl
    const supervised = runThread(url).pipe(
      Effect.flatMap((failure) =>
        Effect.logError(`sync thread ended${failure === null ? "" : `: ${failure}`}; starting it again`)
      ),
      Effect.repeat(Schedule.spaced(Duration.seconds(1)))
    )
    yield* Effect.forkScoped(supervised)
    yield* Effect.logInfo("sync thread started")
  })
)
