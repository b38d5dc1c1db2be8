import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { ServiceUrl } from "./service.js"

/** An open `/api/changes/stream`, read as a client reads it: text as it comes, until it ends. */
export const openStream = (key: string, restaurantId: string) =>
  Effect.gen(function*() {
    const base = yield* ServiceUrl
    const controller = new AbortController()
    yield* Effect.addFinalizer(() => Effect.sync(() => controller.abort()))
    const response = yield* Effect.promise(() =>
      fetch(`${base}/api/changes/stream?restaurantId=${restaurantId}`, {
        headers: { authorization: `Bearer ${key}` },
        signal: controller.signal
      })
    )
    assert.strictEqual(response.status, 200)
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let text = ""
    let ended = false
    /** Reads until `seen` holds of what arrived, or the stream ends; fails after `timeoutMs`. */
    const readUntil = (seen: (text: string) => boolean, timeoutMs: number) =>
      Effect.promise(async () => {
        while (!seen(text) && !ended) {
          const chunk = await reader.read()
          if (chunk.done) ended = true
          else text += decoder.decode(chunk.value, { stream: true })
        }
        return { text, ended }
      }).pipe(Effect.timeoutFail({ duration: timeoutMs, onTimeout: () => new Error(`stream read: ${text}`) }))
    return { readUntil, close: Effect.sync(() => controller.abort()) }
  })
