import { HttpRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Effect, Layer, Ref } from "effect"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import { Webhook } from "standardwebhooks"
import type { RestaurantId } from "../../src/domain/ids.js"
import { ChangeFeed, feedStart } from "../../src/ports/change-feed.js"

/** The main app's side of the change webhooks (issue 21), for tests: its Standard Webhooks secret. */
export const receiverSecret = `whsec_${randomBytes(32).toString("base64")}`

/** The main app's side: verifies each message with the official library, and can be down. */
export class Receiver extends Context.Tag("test/Receiver")<Receiver, {
  readonly url: string
  readonly down: Ref.Ref<boolean>
  readonly received: Ref.Ref<
    ReadonlyArray<
      {
        readonly id: string
        readonly data: {
          readonly sequence: number
          readonly restaurantId: string
          readonly origin: string
          readonly entityType: string
          readonly entityId: string
          readonly action: string
        }
      }
    >
  >
}>() {}

export const ReceiverLive = Layer.scoped(
  Receiver,
  Effect.gen(function*() {
    const down = yield* Ref.make(false)
    const received = yield* Ref.make<Receiver["Type"]["received"] extends Ref.Ref<infer A> ? A : never>([])
    const verifier = new Webhook(receiverSecret)
    const app = HttpRouter.empty.pipe(HttpRouter.post(
      "/hook",
      Effect.gen(function*() {
        if (yield* Ref.get(down)) return HttpServerResponse.empty({ status: 503 })
        const request = yield* HttpServerRequest.HttpServerRequest
        const body = yield* request.text
        const payload = verifier.verify(body, request.headers as Record<string, string>) as { data: never }
        yield* Ref.update(received, (all) => [...all, { id: request.headers["webhook-id"]!, data: payload.data }])
        return HttpServerResponse.empty({ status: 204 })
      }).pipe(Effect.orDie)
    ))
    const server = yield* HttpServer.serveEffect(app).pipe(Effect.zipRight(HttpServer.HttpServer))
    const address = server.address
    return { url: `http://127.0.0.1:${address._tag === "TcpAddress" ? address.port : 0}/hook`, down, received }
  })
).pipe(Layer.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })))

/**
 * Waits (real time, bounded) until the feed serves `count` entries of these restaurants: it
 * serves a transaction's entries once no older one of the cluster runs, and other test files
 * write to the same cluster.
 */
export const served = (restaurantIds: ReadonlyArray<RestaurantId>, count: number) =>
  Effect.gen(function*() {
    const feed = yield* ChangeFeed
    for (let attempt = 0; attempt < 200; attempt++) {
      const page = yield* feed.read({ after: feedStart, restaurantIds, limit: 1000 })
      if (page.entries.length >= count) return
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
    }
    return yield* Effect.dieMessage(`the feed never served ${count} entries`)
  })
