import { Effect, Layer } from "effect"
import { runAppWebhooks } from "./app-webhooks.js"
import { makePoller, pollTick } from "./poller.js"
import { runRetention } from "./retention.js"
import { SyncSettings } from "./settings.js"
import { forkStoppedWithin } from "./stop-within.js"
import { runWorker } from "./worker.js"

/**
 * The background work of one instance: the job worker (outbox, inbox and due retries, R-8.2) and
 * the poller (R-6.10), retention (issue 18) and the main app's webhooks (issue 21). Interrupted at shutdown; the jobs in flight settle first, within the settings' `stopGrace`.
 */
export const WorkersLive = Layer.scopedDiscard(
  Effect.gen(function*() {
    const settings = yield* SyncSettings
    const poller = yield* makePoller
    yield* forkStoppedWithin("sync worker", settings.stopGrace, runWorker(settings))
    yield* Effect.forkScoped(poller.run(pollTick))
    yield* Effect.forkScoped(runRetention)
    yield* Effect.forkScoped(runAppWebhooks)
    yield* Effect.logInfo("sync workers started")
  })
)
