import { Effect, LogLevel } from "effect"
import { assert, describe, it } from "vitest"
import { LoggingLive } from "../../../src/app/observability/logger.js"
import { stdoutLinesOf } from "../../support/stdout-lines.js"

// Issue 19: the sync thread sets up its loggers for a first step, then again for its workers;
// each line must still be written once.
describe("logging set up more than once", () => {
  it("writes each line once", () => {
    const logging = () => LoggingLive({ format: "json", level: LogLevel.Info })
    const [, lines] = stdoutLinesOf(() =>
      Effect.runSync(
        Effect.zipRight(
          Effect.logInfo("first step").pipe(Effect.provide(logging())),
          Effect.logInfo("workers started").pipe(Effect.provide(logging()))
        ).pipe(Effect.provide(logging()))
      )
    )
    assert.deepStrictEqual(
      lines.map((line) => (JSON.parse(line) as { message: string }).message),
      ["first step", "workers started"]
    )
  })
})
