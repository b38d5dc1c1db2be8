import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { MappingRepository } from "../../src/ports/mapping-repository.js"
import { TestServiceLive } from "../support/app.js"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

type Line = Record<string, any>

const body = (path: string, payload?: unknown, method: "POST" | "PATCH" = "POST") =>
  Effect.map(request(method, path, payload), (r) => r.body as Line)

/** The reservation's outbound audit lines, oldest first (the platform's echoes of our pushes come inbound). */
const linesOf = (restaurantId: string, id: unknown) =>
  Effect.map(
    request("GET", `/api/sync/logs?restaurantId=${restaurantId}&entityId=${String(id)}&limit=50`),
    (page) => ((page.body as Line).items as Array<Line>).filter((l) => l.direction === "outbound").reverse()
  )

describe("a push that fails is logged as the call it was (R-3.3, R-5.6)", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("create, update and cancel name their action, the platform record and what was sent", () =>
      Effect.gen(function*() {
        const w = yield* zenchefWorld()
        // Longer than an idempotent call's own retries within one attempt.
        const unavailable = w.sim.setFaults({ failNext: 20, failStatus: 503 })

        // A create the platform refuses for good (a table it does not have): create, and what was sent.
        const gone = yield* body("/api/tables", { ...samples.diningTable(w.restaurantId), diningRoomId: w.room.id })
        yield* (yield* MappingRepository).upsert({
          restaurantId: w.restaurantId as never,
          entityType: "table",
          entityId: String(gone.id),
          platform: "zenchef",
          externalId: "999",
          syncStatus: "synced",
          syncedAt: null
        })
        const refused = yield* body("/api/reservations", {
          ...samples.reservation(w.restaurantId),
          partySize: 3,
          tableIds: [gone.id],
          reservationTime: "2030-06-08T18:00:00.000Z"
        })
        yield* drainAll
        const [failed] = yield* linesOf(w.restaurantId, refused.id)
        assert.deepInclude(failed, { action: "create", status: "failed", externalId: null })
        assert.strictEqual(failed?.requestPayload?.externalReferenceId, refused.id)
        assert.strictEqual(failed?.requestPayload?.partySize, 3)
        assert.include(failed?.errorMessage, "400")

        // A create that fails for a while: create, retried; then it goes through.
        yield* unavailable
        const reservation = yield* body("/api/reservations", samples.reservation(w.restaurantId))
        yield* drainAll
        yield* w.sim.clearFaults
        const [retried] = yield* linesOf(w.restaurantId, reservation.id)
        assert.deepInclude(retried, { action: "create", status: "retry", externalId: null })
        assert.strictEqual(retried?.requestPayload?.externalReferenceId, reservation.id)
        yield* request("POST", "/api/sync/retry?force=true")
        const created = (yield* linesOf(w.restaurantId, reservation.id)).at(-1)
        assert.deepInclude(created, { action: "create", status: "success" })
        const bookingUid = created?.externalId as string
        assert.isString(bookingUid)

        // An update of the linked booking: update, that booking, the new party size.
        yield* unavailable
        yield* body(`/api/reservations/${String(reservation.id)}`, { partySize: 6 }, "PATCH")
        yield* drainAll
        yield* w.sim.clearFaults
        const updating = (yield* linesOf(w.restaurantId, reservation.id)).at(-1)
        assert.deepInclude(updating, { action: "update", status: "retry", externalId: bookingUid })
        assert.strictEqual(updating?.requestPayload?.partySize, 6)
        yield* request("POST", "/api/sync/retry?force=true")

        // A cancel: cancel, that booking.
        yield* unavailable
        yield* body(`/api/reservations/${String(reservation.id)}`, { status: "cancelled" }, "PATCH")
        yield* drainAll
        yield* w.sim.clearFaults
        const cancelling = (yield* linesOf(w.restaurantId, reservation.id)).at(-1)
        assert.deepInclude(cancelling, { action: "cancel", status: "retry", externalId: bookingUid })
        yield* request("POST", "/api/sync/retry?force=true")
        assert.deepInclude((yield* linesOf(w.restaurantId, reservation.id)).at(-1), {
          action: "cancel",
          status: "success",
          externalId: bookingUid
        })
        assert.strictEqual((yield* w.sim.booking(w.restaurantUid, bookingUid)).status, "CANCELLED")
      }))
  })
})
