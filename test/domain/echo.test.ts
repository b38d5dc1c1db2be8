import { assert, describe, it } from "@effect/vitest"
import { isEchoOfPush, isLateEchoOfPush, sameField } from "../../src/domain/echo.js"

describe("echo detection at the platform's precision (issue 20, item 10)", () => {
  const guest = { customerName: "Ana Costa", customerPhone: "+33611111111" }
  const pushed = { ...guest, reservationTime: "2030-06-07T17:30:00.123Z", partySize: 2 }

  it("a time read back without its milliseconds is the same time on a platform keeping seconds", () => {
    const remote = { ...guest, reservationTime: "2030-06-07T17:30:00Z", partySize: 2 }
    assert.isTrue(isEchoOfPush(pushed, remote, "second"))
    assert.isFalse(isEchoOfPush(pushed, remote), "compared to the millisecond, it differs")
  })

  it("a time moved by a second or more is a change, whatever the precision kept", () => {
    assert.isFalse(isEchoOfPush(pushed, { ...guest, reservationTime: "2030-06-07T17:30:01Z", partySize: 2 }, "second"))
    assert.isFalse(isEchoOfPush(pushed, { ...guest, reservationTime: "2030-06-07T17:31:00Z", partySize: 2 }, "minute"))
    assert.isTrue(isEchoOfPush(pushed, { ...guest, reservationTime: "2030-06-07T17:30:00Z", partySize: 2 }, "minute"))
  })

  it("precision applies to instants only", () => {
    assert.isFalse(sameField("partySize", 2, 3, "minute"))
    assert.isTrue(sameField("reservationTime", "2030-06-07T19:30:45+02:00", "2030-06-07T17:30:00.000Z", "minute"))
  })
})

describe("an earlier push's echo arriving after a later push (R-6.8, R-6.9)", () => {
  const guest = { customerName: "Ana Costa", customerPhone: "+33611111111", reservationTime: "2030-06-07T17:30:00Z" }
  const created = { pushed: { ...guest, partySize: 4 }, startedAt: 1_000 }
  const updated = { pushed: { ...guest, partySize: 5 }, startedAt: 2_000 }

  it("says back the create, happened before the update began: the create's late echo", () => {
    assert.isTrue(isLateEchoOfPush([created, updated], { ...guest, partySize: 4 }, 1_500))
  })

  it("says back the create after the update began: someone on the platform set those values again", () => {
    assert.isFalse(isLateEchoOfPush([created, updated], { ...guest, partySize: 4 }, 2_000))
  })

  it("says what no push said: a change, however early", () => {
    assert.isFalse(isLateEchoOfPush([created, updated], { ...guest, partySize: 6 }, 1_500))
  })

  it("the latest push has no later one: its echo is the plain echo's business", () => {
    assert.isFalse(isLateEchoOfPush([created, updated], { ...guest, partySize: 5 }, 1_500))
    assert.isFalse(isLateEchoOfPush([created], { ...guest, partySize: 4 }, 500))
  })

  it("compares at the platform's precision, as the plain echo does", () => {
    const early = { pushed: { ...guest, reservationTime: "2030-06-07T17:30:00.123Z", partySize: 4 }, startedAt: 1_000 }
    assert.isTrue(isLateEchoOfPush([early, updated], { ...guest, partySize: 4 }, 1_500, "second"))
    assert.isFalse(isLateEchoOfPush([early, updated], { ...guest, partySize: 4 }, 1_500))
  })
})
