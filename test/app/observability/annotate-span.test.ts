import { Effect, Exit } from "effect"
import { assert, describe, it } from "vitest"
import { annotateSpan } from "../../../src/app/observability/telemetry.js"

describe("annotateSpan", () => {
  it("sets the attribute on the current span", () => {
    const span = Effect.runSync(
      Effect.withSpan(Effect.zipRight(annotateSpan("restaurantId", "resto-1"), Effect.currentSpan), "delivery")
    )
    assert.strictEqual(span.attributes.get("restaurantId"), "resto-1")
  })

  it("does nothing, and succeeds, outside any span", () => {
    assert.isTrue(Exit.isSuccess(Effect.runSyncExit(annotateSpan("restaurantId", "resto-1"))))
  })
})
