import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { SevenRoomsSimulator } from "../../../../src/simulators/sevenrooms/index.js"
import { CLIENT_ID, CLIENT_SECRET, CONCIERGE_ID, VENUE_GROUP_ID, VENUE_ID } from "./harness.js"

const venues = [{
  id: VENUE_ID,
  venueGroupId: VENUE_GROUP_ID,
  clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, conciergeId: CONCIERGE_ID }]
}]
const FORM = "application/x-www-form-urlencoded"

const send = (
  url: string,
  method: string,
  init: { readonly token?: string; readonly form?: Record<string, string>; readonly json?: unknown } = {}
) =>
  Effect.promise(async () => {
    const headers: Record<string, string> = {}
    if (init.token !== undefined) headers["authorization"] = init.token
    if (init.form !== undefined) headers["content-type"] = FORM
    if (init.json !== undefined) headers["content-type"] = "application/json"
    const body = init.form !== undefined
      ? new URLSearchParams(init.form).toString()
      : init.json !== undefined
      ? JSON.stringify(init.json)
      : undefined
    const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) })
    return {
      status: response.status,
      body: (await response.json()) as {
        readonly status: number
        readonly msg?: string
        readonly data?: Record<string, unknown>
      }
    }
  })

const booking = {
  date: "2030-06-07",
  time: "19:30",
  party_size: "4",
  first_name: "Ana",
  last_name: "Ruiz",
  email: "ana@example.com",
  external_id: "alloresto:resa-1"
}

describe("SevenRooms simulator: the book endpoint as public clients call it", () => {
  it.scopedLive("books with PUT and a form of publicly seen fields; POST is a 405, JSON and unseen names a 400", () =>
    Effect.gen(function*() {
      const sim = yield* SevenRoomsSimulator.start({ venues })
      const auth = yield* send(`${sim.url}/auth`, "POST", {
        form: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET }
      })
      const token = String(auth.body.data?.["token"])
      const book = `${sim.url}/venues/${VENUE_ID}/book`

      const made = yield* send(book, "PUT", {
        token,
        form: { ...booking, table: "12", access_persistent_id: "access-tasting", notes: "Window seat" }
      })
      assert.strictEqual(made.status, 200)
      assert.deepInclude(made.body.data, {
        external_id: "alloresto:resa-1",
        access_persistent_id: "access-tasting",
        venue_seating_area_name: "Main room",
        shift_persistent_id: "dinner-2030",
        status: "BOOKED"
      })
      assert.deepStrictEqual(made.body.data?.["table_numbers"], ["12"])

      assert.strictEqual((yield* send(book, "POST", { token, form: booking })).status, 405)
      assert.strictEqual((yield* send(book, "PUT", { token, json: booking })).status, 400)
      for (const unseen of ["shift_persistent_id", "venue_seating_area_id", "table_ids", "status"]) {
        const refused = yield* send(book, "PUT", {
          token,
          form: { ...booking, external_id: `alloresto:${unseen}`, [unseen]: "x" }
        })
        assert.strictEqual(refused.status, 400, unseen)
        assert.include(refused.body.msg ?? "", unseen)
      }
      assert.strictEqual((yield* sim.reservations(VENUE_ID)).length, 1)
    }))
})
