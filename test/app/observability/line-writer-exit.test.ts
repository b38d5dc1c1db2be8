import { spawnSync } from "node:child_process"
import { assert, describe, it } from "vitest"

// Lines wait for the end of the event loop's turn: a process that exits first must still write them.
describe("a line logged just before the process exits", () => {
  it("is on stdout (a pipe), with the exit code the process chose", () => {
    const child = spawnSync(process.execPath, ["--import", "tsx", "test/fixtures/log-then-exit.ts"], {
      encoding: "utf8",
      timeout: 60_000
    })
    assert.strictEqual(child.status, 3, child.stderr)
    const lines = child.stdout.split("\n").filter((line) => line !== "")
    assert.deepStrictEqual(lines.map((line) => (JSON.parse(line) as { message: string }).message), [
      "last words before exit"
    ])
  })
})
