import { assert, describe, it } from "vitest"
import { makeLineWriter, stdoutLines } from "../../../src/app/observability/line-writer.js"

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe("log lines leave once per turn of the event loop", () => {
  it("writes the lines of one turn together, in order, after that turn", async () => {
    const writes: Array<string> = []
    const writer = makeLineWriter((text) => void writes.push(text))
    writer.write("one")
    writer.write("two")
    writer.write("three")
    assert.deepStrictEqual(writes, [])
    await nextTurn()
    assert.deepStrictEqual(writes, ["one\ntwo\nthree\n"])
    writer.write("four")
    await nextTurn()
    assert.deepStrictEqual(writes, ["one\ntwo\nthree\n", "four\n"])
  })

  it("writes what is waiting when flushed (as at exit), and nothing twice", async () => {
    const writes: Array<string> = []
    const writer = makeLineWriter((text) => void writes.push(text))
    writer.write("last words")
    writer.flush()
    assert.deepStrictEqual(writes, ["last words\n"])
    await nextTurn()
    writer.flush()
    assert.deepStrictEqual(writes, ["last words\n"])
  })

  it("survives stdout closing under it (a reader gone): the error is handled, not thrown", () => {
    stdoutLines()
    assert.doesNotThrow(() => process.stdout.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" })))
  })
})
