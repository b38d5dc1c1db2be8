import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { ZenchefSimulatorOptions } from "../../../../src/simulators/zenchef/index.js"
import { ZenchefSimulator } from "../../../../src/simulators/zenchef/index.js"
import { call, fields, items, KEY, newBooking, OTHER_KEY, OTHER_RESTAURANT, RESTAURANT } from "./simulator-support.js"

const start = (options: ZenchefSimulatorOptions = {}) =>
  ZenchefSimulator.start({
    restaurants: [
      { uid: RESTAURANT, apiKeys: [KEY] },
      { uid: OTHER_RESTAURANT, apiKeys: [OTHER_KEY] }
    ],
    ...options
  })

describe("Zenchef simulator: API", () => {
  it.scopedLive("requires the ApiKey header and a key allowed for the restaurant", () =>
    Effect.gen(function*() {
      const sim = yield* start()
      const missing = yield* call(sim.url, "GET", `/${RESTAURANT}/areas`, { apiKey: null })
      assert.strictEqual(missing.status, 401)
      assert.strictEqual(fields(missing)["status"], 401)
      assert.strictEqual(typeof fields(missing)["title"], "string")
      assert.strictEqual((yield* call(sim.url, "GET", `/${RESTAURANT}/areas`, { apiKey: "nope" })).status, 401)
      assert.strictEqual((yield* call(sim.url, "GET", `/${RESTAURANT}/areas`, { apiKey: OTHER_KEY })).status, 403)
      const ok = yield* call(sim.url, "GET", `/${RESTAURANT}/areas`, { apiKey: KEY })
      assert.strictEqual(ok.status, 200)
      assert.deepStrictEqual(items(ok).map((a) => a["id"]), [1, 2])
    }))

  it.scopedLive("routes by restaurantUid: an unknown one is a 404", () =>
    Effect.gen(function*() {
      const sim = yield* start()
      const unknown = yield* call(sim.url, "GET", "/deadbeef/tables", { apiKey: KEY })
      assert.strictEqual(unknown.status, 404)
      assert.strictEqual(fields(unknown)["status"], 404)
      const tables = yield* call(sim.url, "GET", `/${RESTAURANT}/tables/area/2`, { apiKey: KEY })
      assert.deepStrictEqual(items(tables).map((t) => t["id"]), [6, 7, 8])
      assert.strictEqual(
        fields(yield* call(sim.url, "GET", `/${RESTAURANT}/tables/3`, { apiKey: KEY }))["maxPeople"],
        4
      )
      const products = yield* call(sim.url, "GET", `/${RESTAURANT}/product/ticket`, { apiKey: KEY })
      assert.deepStrictEqual(items(products).map((p) => p["uid"]), ["lunch-menu", "dinner-menu"])
    }))

  it.scopedLive("creates a booking and reads it back; invalid bodies get field errors", () =>
    Effect.gen(function*() {
      const sim = yield* start()
      const created = yield* call(sim.url, "POST", `/${RESTAURANT}/booking`, {
        apiKey: KEY,
        body: newBooking({ bookingDateTime: "2030-06-07T19:30", productUid: "dinner-menu", tables: [5] })
      })
      assert.strictEqual(created.status, 200)
      const booking = fields(created)
      assert.strictEqual(booking["status"], "ACCEPTED")
      assert.strictEqual(booking["bookingDateTime"], "2030-06-07T19:30:00")
      assert.strictEqual(booking["bookingDuration"], 120)
      assert.match(String(booking["created"]), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
      assert.deepStrictEqual(booking["tables"], [{
        id: 5,
        posId: null,
        name: "T5",
        minPeople: 4,
        maxPeople: 6,
        areaId: 1
      }])
      assert.deepStrictEqual(
        (booking["tickets"] as Array<Record<string, unknown>>).map((t) => [t["uid"], t["quantity"]]),
        [["dinner-menu", 4]]
      )
      const read = yield* call(sim.url, "GET", `/${RESTAURANT}/booking/${booking["uid"]}`, { apiKey: KEY })
      assert.deepStrictEqual(read.body, created.body)
      assert.strictEqual((yield* call(sim.url, "GET", `/${RESTAURANT}/booking/nope`, { apiKey: KEY })).status, 404)

      const invalid = yield* call(sim.url, "POST", `/${RESTAURANT}/booking`, {
        apiKey: KEY,
        body: { bookingDateTime: "2030-06-07T19:30:00Z", numberOfPeople: 0, culture: "en" }
      })
      assert.strictEqual(invalid.status, 400)
      const errors = fields(invalid)["errors"] as Record<string, Array<string>>
      assert.deepStrictEqual(Object.keys(errors).sort(), ["BookingDateTime", "Company", "NumberOfPeople"])
      assert.strictEqual((yield* sim.counters).bookingsByRestaurant[RESTAURANT], 1)
    }))

  it.scopedLive("PUT merges by default and replaces in replace mode", () =>
    Effect.gen(function*() {
      const sim = yield* start()
      const uid = String(
        fields(yield* call(sim.url, "POST", `/${RESTAURANT}/booking`, { apiKey: KEY, body: newBooking() }))["uid"]
      )
      const merged = fields(
        yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/${uid}`, {
          apiKey: KEY,
          body: { numberOfPeople: 2, comments: null }
        })
      )
      assert.strictEqual(merged["numberOfPeople"], 2)
      assert.strictEqual(merged["comments"], "nut allergy")
      assert.strictEqual(merged["firstName"], "Ana")

      yield* sim.setMode({ updateMode: "replace" })
      const incomplete = yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/${uid}`, {
        apiKey: KEY,
        body: { numberOfPeople: 3 }
      })
      assert.strictEqual(incomplete.status, 400)
      const replaced = fields(
        yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/${uid}`, {
          apiKey: KEY,
          body: { bookingDateTime: "2030-06-07T20:00:00", numberOfPeople: 3 }
        })
      )
      assert.strictEqual(replaced["numberOfPeople"], 3)
      assert.strictEqual(replaced["comments"], null)
      assert.strictEqual(replaced["firstName"], null)
      assert.strictEqual((yield* sim.booking(RESTAURANT, uid)).bookingDateTime, "2030-06-07T20:00:00")
    }))

  it.scopedLive("DELETE cancels with an empty 200 and is idempotent", () =>
    Effect.gen(function*() {
      const sim = yield* start()
      const uid = String(
        fields(yield* call(sim.url, "POST", `/${RESTAURANT}/booking`, { apiKey: KEY, body: newBooking() }))["uid"]
      )
      for (let i = 0; i < 2; i++) {
        const deleted = yield* call(sim.url, "DELETE", `/${RESTAURANT}/booking/${uid}`, { apiKey: KEY })
        assert.strictEqual(deleted.status, 200)
        assert.strictEqual(deleted.text, "")
      }
      assert.strictEqual((yield* sim.booking(RESTAURANT, uid)).status, "CANCELLED")
      assert.strictEqual((yield* call(sim.url, "DELETE", `/${RESTAURANT}/booking/nope`, { apiKey: KEY })).status, 404)
    }))

  it.scopedLive("check-in and check-out toggle; a check-out shows in no Booking field (BookingViewModel)", () =>
    Effect.gen(function*() {
      const sim = yield* start()
      const uid = String(
        fields(yield* call(sim.url, "POST", `/${RESTAURANT}/booking`, { apiKey: KEY, body: newBooking() }))["uid"]
      )
      const first = fields(yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/checkin/${uid}`, { apiKey: KEY }))
      assert.match(String(first["checkInDateTime"]), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
      const second = fields(yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/checkin/${uid}`, { apiKey: KEY }))
      assert.strictEqual(second["checkInDateTime"], null)
      const out = fields(yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/checkout/${uid}`, { apiKey: KEY }))
      assert.notProperty(out, "checkOutDateTime")
      assert.notProperty(out, "modified")
      assert.isTrue(yield* sim.checkedOut(RESTAURANT, uid))
      yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/checkout/${uid}`, { apiKey: KEY })
      assert.isFalse(yield* sim.checkedOut(RESTAURANT, uid), "a second call undoes it")
      // The OpenAPI has no PATCH on a booking.
      assert.strictEqual(
        (yield* call(sim.url, "PATCH", `/${RESTAURANT}/booking/${uid}`, { apiKey: KEY, body: {} })).status,
        405
      )
    }))

  it.scopedLive("assigning a table taken at an overlapping time answers warnings unless forced", () =>
    Effect.gen(function*() {
      const sim = yield* start()
      const post = (body: Record<string, unknown>) =>
        call(sim.url, "POST", `/${RESTAURANT}/booking`, { apiKey: KEY, body: newBooking(body) })
      const holder = fields(yield* post({ tables: [3] }))
      const other = fields(yield* post({ bookingDateTime: "2030-06-07T20:30:00", tables: [4] }))
      const put = (body: Record<string, unknown>) =>
        call(sim.url, "PUT", `/${RESTAURANT}/booking/${other["uid"]}`, { apiKey: KEY, body })
      const clash = fields(yield* put({ tables: [3] }))
      assert.strictEqual((clash["warnings"] as Array<string>).length, 1)
      assert.include((clash["warnings"] as Array<string>)[0], String(holder["uid"]))
      assert.deepStrictEqual(clash["tables"], [])
      const forced = fields(yield* put({ tables: [3], forceTablePlacement: true }))
      assert.strictEqual(forced["warnings"], undefined)
      assert.deepStrictEqual((forced["tables"] as Array<Record<string, unknown>>).map((t) => t["id"]), [3])
      const kept = fields(yield* put({ comments: "window seat" }))
      assert.deepStrictEqual((kept["tables"] as Array<Record<string, unknown>>).map((t) => t["id"]), [3])
      const replaced = fields(yield* put({ tables: [] }))
      assert.deepStrictEqual((replaced["tables"] as Array<Record<string, unknown>>).map((t) => t["id"]), [4])
    }))

  it.scopedLive("looks bookings up by external reference, by day range and by latest changes", () =>
    Effect.gen(function*() {
      const sim = yield* start()
      const post = (body: Record<string, unknown>) =>
        call(sim.url, "POST", `/${RESTAURANT}/booking`, { apiKey: KEY, body: newBooking(body) })
      // `source` is read-only (not in BookingCreateViewModel): what the client sends is ignored.
      const mine = fields(yield* post({ externalReferenceId: "resa-1", source: "alloresto" }))
      assert.strictEqual(mine["source"], "api")
      assert.strictEqual(
        (yield* call(sim.url, "GET", `/${RESTAURANT}/booking/external/alloresto/resa-1`, { apiKey: KEY })).status,
        404
      )
      const changedOne = fields(yield* post({ bookingDateTime: "2030-06-08T12:00:00" }))
      const cancelled = fields(yield* post({ bookingDateTime: "2030-06-09T12:00:00" }))
      yield* call(sim.url, "PUT", `/${RESTAURANT}/booking/${changedOne["uid"]}`, {
        apiKey: KEY,
        body: { numberOfPeople: 5 }
      })
      yield* call(sim.url, "DELETE", `/${RESTAURANT}/booking/${cancelled["uid"]}`, { apiKey: KEY })

      const found = yield* call(sim.url, "GET", `/${RESTAURANT}/booking/external/api/resa-1`, { apiKey: KEY })
      assert.strictEqual(fields(found)["uid"], mine["uid"])
      assert.strictEqual(
        (yield* call(sim.url, "GET", `/${RESTAURANT}/booking/external/alloresto/resa-2`, { apiKey: KEY })).status,
        404
      )

      const twoDays = yield* call(sim.url, "GET", `/${RESTAURANT}/booking/2030-06-07/2`, { apiKey: KEY })
      assert.deepStrictEqual(items(twoDays).map((b) => b["uid"]), [mine["uid"], changedOne["uid"]])
      assert.strictEqual(
        (yield* call(sim.url, "GET", `/${RESTAURANT}/booking/2020-01-01/2`, { apiKey: KEY })).status,
        400
      )
      assert.strictEqual(
        (yield* call(sim.url, "GET", `/${RESTAURANT}/booking/2030-06-07/32`, { apiKey: KEY })).status,
        400
      )
      assert.strictEqual(
        (yield* call(sim.url, "GET", `/${RESTAURANT}/booking/2030-06-07/0`, { apiKey: KEY })).status,
        400
      )

      const latest = (filter: string) =>
        Effect.map(
          call(sim.url, "GET", `/${RESTAURANT}/booking/latest/5/${filter}`, { apiKey: KEY }),
          (r) => items(r).map((b) => b["uid"])
        )
      assert.sameMembers([...(yield* latest("accepted"))], [mine["uid"], changedOne["uid"]])
      assert.deepStrictEqual(yield* latest("changed"), [changedOne["uid"]])
      assert.deepStrictEqual(yield* latest("canceled"), [cancelled["uid"]])
      yield* sim.setMode({ latestEndpoint: false })
      assert.strictEqual(
        (yield* call(sim.url, "GET", `/${RESTAURANT}/booking/latest/5/accepted`, { apiKey: KEY })).status,
        404
      )
    }))

  it.scopedLive("computes availability from shifts, bookings and covers capacity", () =>
    Effect.gen(function*() {
      const sim = yield* start({
        restaurants: [{ uid: RESTAURANT, apiKeys: [KEY], capacity: 4, closedDates: ["2030-06-10"] }]
      })
      yield* call(sim.url, "POST", `/${RESTAURANT}/booking`, {
        apiKey: KEY,
        body: newBooking({ bookingDateTime: "2030-06-07T19:00:00" })
      })
      const day = (date: string) =>
        Effect.map(call(sim.url, "GET", `/${RESTAURANT}/availability/day/${date}/2/en`, { apiKey: KEY }), (r) =>
          Object.fromEntries(items(r).map((t) => [String(t["dateTime"]).slice(11, 16), t["status"]])))
      const june7 = yield* day("2030-06-07")
      assert.strictEqual(june7["12:00"], "AVAILABLE")
      assert.strictEqual(june7["19:00"], "UNAVAILABLE")
      assert.strictEqual(june7["18:00"], "SHORT")
      assert.strictEqual((yield* day("2030-06-10"))["19:00"], "CLOSED")
      assert.strictEqual((yield* day("2020-06-10"))["19:00"], "PASSED")
      const open = yield* call(sim.url, "GET", `/${RESTAURANT}/availability/open/2030-06-07`, { apiKey: KEY })
      assert.deepStrictEqual(items(open).map((s) => [s["startTime"], s["endTime"]]), [[720, 870], [1080, 1350]])
      assert.deepStrictEqual(
        (yield* call(sim.url, "GET", `/${RESTAURANT}/availability/open/2030-06-10`, { apiKey: KEY })).body,
        []
      )
    }))
})
