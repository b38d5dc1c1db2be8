import { NodeHttpClient } from "@effect/platform-node"
import { Effect } from "effect"
import { requireCapability } from "../../../../src/ports/connector-capabilities.js"
import { sampleOrder } from "../conformance/order-conformance.js"
import { tokenConformance } from "../conformance/token-conformance.js"
import { deliverooSeed, startDeliveroo } from "./harness.js"

tokenConformance("deliveroo", {
  layer: NodeHttpClient.layerUndici,
  start: (lifetimeSeconds) =>
    Effect.gen(function*() {
      const { subject, sim } = yield* startDeliveroo({ simulator: { tokenLifetimeSeconds: lifetimeSeconds } })
      const orders = yield* requireCapability(subject.connector, "orders").pipe(Effect.orDie)
      const order = yield* sim.placeOrder(deliverooSeed(sampleOrder())).pipe(Effect.orDie)
      return {
        call: Effect.asVoid(orders.get(order.id)),
        tokenRequests: Effect.map(sim.counters, (c) => c.tokenRequests),
        unauthorized: Effect.map(sim.counters, (c) => c.unauthorized),
        revokeTokens: sim.revokeTokens,
        setTokenLifetime: sim.setTokenLifetime
      }
    })
})
