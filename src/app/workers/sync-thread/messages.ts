import type { SettledAttempt } from "../../observability/metrics.js"

/** What the service hands its sync thread at start. */
export interface SyncThreadData {
  readonly databaseUrl: string
}

/** Asks the thread to finish the work in flight and end. */
export const stopMessage = "stop"

export type FromSyncThread =
  | { readonly _tag: "Settled"; readonly entries: ReadonlyArray<SettledAttempt> }
  | { readonly _tag: "Stopped"; readonly failure: string | null }
