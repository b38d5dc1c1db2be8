import { Effect } from "effect"
import { drainAll } from "../support/drain.js"
import { samples } from "../support/samples.js"
import { request } from "../support/service.js"
import { zenchefWorld } from "../support/zenchef-world.js"

type Body = Record<string, unknown>

const createReservation = (restaurantId: string, extra: Body = {}) =>
  Effect.map(
    request("POST", "/api/reservations", {
      ...samples.reservation(restaurantId),
      reservationTime: "2030-06-07T17:30:00.000Z",
      ...extra
    }),
    (r) => r.body as Body
  )

/**
 * Three restaurants on their own Zenchef simulators, as an operator would find them:
 * - `healthy`: a push that succeeded, then a platform update that conflicts (we are master: );
 * - `dead`: a push that failed six times (first try and five retries) and is a dead letter;
 * - `retrying`: a push that failed once and waits for its retry in a minute.
 * The service runs no background worker: `drainAll` and POST /api/sync/retry play its part.
 */
export const seedActivity = Effect.gen(function*() {
  const healthy = yield* zenchefWorld()
  yield* healthy.sim.setMode({ apiChangesEmitWebhooks: false })
  yield* createReservation(healthy.restaurantId, { allergies: ["gluten"] })
  yield* drainAll
  const [booking] = yield* healthy.sim.bookings(healthy.restaurantUid)
  yield* healthy.sim.platform.update(healthy.restaurantUid, booking!.uid, {
    numberOfPeople: 6,
    comments: "Allergies: gluten, arachides"
  })
  yield* healthy.sim.webhooks.awaitIdle
  yield* drainAll

  const dead = yield* zenchefWorld()
  yield* dead.sim.setMode({ apiChangesEmitWebhooks: false })
  yield* dead.sim.setFaults({ failNext: 6, failStatus: 503 })
  yield* createReservation(dead.restaurantId)
  yield* drainAll
  // Each forced run makes the waiting retry due now and runs it (instead of waiting 11 hours).
  for (let i = 0; i < 5; i++) yield* request("POST", "/api/sync/retry?force=true")
  yield* dead.sim.clearFaults

  const retrying = yield* zenchefWorld()
  yield* retrying.sim.setMode({ apiChangesEmitWebhooks: false })
  yield* retrying.sim.setFaults({ failNext: 1, failStatus: 503 })
  yield* createReservation(retrying.restaurantId)
  yield* drainAll
  yield* retrying.sim.clearFaults

  return { healthy, dead, retrying }
})
