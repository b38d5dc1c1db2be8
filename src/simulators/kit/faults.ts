import { Clock, Effect, Ref, Schema } from "effect"

const Count = Schema.Int.pipe(Schema.nonNegative())
const Millis = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

/**
 * What the next requests should suffer. Counts are consumed one per request; spans (`...ForMs`)
 * run from the moment the settings are applied.
 */
export const FaultSettings = Schema.Struct({
  /** Answer `failStatus` to the next N requests, before handling them. */
  failNext: Schema.optional(Count),
  /** Answer `failStatus` to every request during this many milliseconds. */
  failForMs: Schema.optional(Millis),
  /** 503 unless told. */
  failStatus: Schema.optional(Schema.Int.pipe(Schema.between(500, 599))),
  /** Handle the next N requests but close the socket instead of answering. */
  dropNext: Schema.optional(Count),
  /** Same as `dropNext` for every request during this many milliseconds. */
  dropForMs: Schema.optional(Millis),
  /** Added before every request is handled. */
  latencyMs: Schema.optional(Millis)
})
export type FaultSettings = typeof FaultSettings.Type

/** The fault drawn for one request. A drop is applied after handling: the change is kept. */
export interface FaultDecision {
  readonly latencyMs: number
  readonly action: { readonly _tag: "Pass" } | { readonly _tag: "Fail"; readonly status: number } | {
    readonly _tag: "Drop"
  }
}

interface FaultState {
  readonly failNext: number
  readonly failUntil: number
  readonly failStatus: number
  readonly dropNext: number
  readonly dropUntil: number
  readonly latencyMs: number
}

const healthy: FaultState = { failNext: 0, failUntil: 0, failStatus: 503, dropNext: 0, dropUntil: 0, latencyMs: 0 }

export interface FaultSwitch {
  /** Replaces the current faults by `settings` (absent fields mean "no such fault"). */
  readonly set: (settings: FaultSettings) => Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  readonly next: Effect.Effect<FaultDecision>
}

export const drawFault = (state: FaultState, now: number): readonly [FaultDecision, FaultState] => {
  if (state.failNext > 0) {
    return [{ latencyMs: state.latencyMs, action: { _tag: "Fail", status: state.failStatus } }, {
      ...state,
      failNext: state.failNext - 1
    }]
  }
  if (now < state.failUntil) {
    return [{ latencyMs: state.latencyMs, action: { _tag: "Fail", status: state.failStatus } }, state]
  }
  if (state.dropNext > 0) {
    return [{ latencyMs: state.latencyMs, action: { _tag: "Drop" } }, { ...state, dropNext: state.dropNext - 1 }]
  }
  if (now < state.dropUntil) return [{ latencyMs: state.latencyMs, action: { _tag: "Drop" } }, state]
  return [{ latencyMs: state.latencyMs, action: { _tag: "Pass" } }, state]
}

export const makeFaultSwitch: Effect.Effect<FaultSwitch> = Effect.gen(function*() {
  const ref = yield* Ref.make(healthy)
  return {
    set: (settings) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.set(ref, {
          failNext: settings.failNext ?? 0,
          failUntil: settings.failForMs === undefined ? 0 : now + settings.failForMs,
          failStatus: settings.failStatus ?? 503,
          dropNext: settings.dropNext ?? 0,
          dropUntil: settings.dropForMs === undefined ? 0 : now + settings.dropForMs,
          latencyMs: settings.latencyMs ?? 0
        })),
    clear: Ref.set(ref, healthy),
    next: Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.modify(ref, (state) => drawFault(state, now)))
  }
})
