import { assert, describe, it } from "@effect/vitest"
import { isEchoOfPush, sameField } from "../../src/domain/echo.js"

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
