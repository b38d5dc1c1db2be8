import { vi } from "vitest"
import { stdoutLines } from "../../src/app/observability/line-writer.js"

/** Runs `body` and returns what it logged to stdout, line by line: the line writer is flushed first and after. */
export const stdoutLinesOf = <A>(body: () => A): readonly [A, ReadonlyArray<string>] => {
  stdoutLines().flush()
  const lines: Array<string> = []
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n").filter((line) => line !== ""))
    return true
  })
  try {
    const result = body()
    stdoutLines().flush()
    return [result, lines]
  } finally {
    spy.mockRestore()
  }
}
