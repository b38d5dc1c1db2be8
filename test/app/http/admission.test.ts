import { describe, expect, it } from "@effect/vitest"
import { makeAdmission } from "../../../src/app/http/admission.js"

describe("admission: at most N tasks at a time, the rest in arrival order", () => {
  it("starts no more than the limit, then the waiting ones in order as running ones finish", () => {
    const admission = makeAdmission(2)
    const started: Array<number> = []
    const dones: Array<() => void> = []
    for (let i = 0; i < 5; i++) {
      admission.run((done) => {
        started.push(i)
        dones[i] = done
      })
    }
    expect(started).toEqual([0, 1])
    expect(admission.state()).toEqual({ running: 2, waiting: 3 })
    dones[1]!()
    expect(started).toEqual([0, 1, 2])
    // A second call of the same `done` frees nothing more.
    dones[1]!()
    expect(admission.state()).toEqual({ running: 2, waiting: 2 })
    dones[0]!()
    dones[2]!()
    expect(started).toEqual([0, 1, 2, 3, 4])
    dones[3]!()
    dones[4]!()
    expect(admission.state()).toEqual({ running: 0, waiting: 0 })
  })

  it("runs a long queue of tasks that finish at once without nesting their calls", () => {
    const admission = makeAdmission(1)
    let hold: (() => void) | undefined
    admission.run((done) => (hold = done))
    let ran = 0
    for (let i = 0; i < 100_000; i++) {
      admission.run((done) => {
        ran++
        done()
      })
    }
    expect(ran).toBe(0)
    hold!()
    expect(ran).toBe(100_000)
    expect(admission.state()).toEqual({ running: 0, waiting: 0 })
  })
})
