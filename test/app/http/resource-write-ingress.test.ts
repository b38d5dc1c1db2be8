import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { request as httpRequest } from "node:http"
import { makeResourceWriteIngress } from "../../../src/app/http/resource-write-ingress.js"
import { IngressServer, makeWebhookIngress } from "../../../src/app/http/webhook-ingress.js"
import { makeTestApp, TestServiceLive } from "../../support/app.js"
import { listening, loopbackUrl } from "../../support/listening.js"
import { samples } from "../../support/samples.js"
import { issueKey, request, ServiceUrl } from "../../support/service.js"

interface Sent {
  readonly status: number
  readonly body: string
  readonly headers: Record<string, string | Array<string> | undefined>
}

const send = (
  base: string,
  options: {
    readonly method: string
    readonly path: string
    readonly body?: string
    readonly headers?: Record<string, string>
  }
) =>
  Effect.async<Sent>((resume) => {
    const body = options.body ?? ""
    const req = httpRequest(`${base}${options.path}`, {
      method: options.method,
      headers: {
        "content-type": "application/json",
        ...options.headers,
        "content-length": String(Buffer.byteLength(body))
      }
    }, (res) => {
      let text = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => (text += chunk))
      res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, body: text, headers: res.headers })))
    })
    req.on("error", (error) => resume(Effect.die(error)))
    req.end(body)
  })

/** The ingress alone, in front of a stand-in for the framework that answers 299 to what it is handed. */
const ingressOnly = (writeConcurrency = 20) =>
  Effect.gen(function*() {
    const server = new IngressServer(
      yield* makeWebhookIngress(10_000, [yield* makeResourceWriteIngress(writeConcurrency)])
    )
    const handedOver: Array<string> = []
    server.on("request", (req, res) => {
      let body = ""
      req.setEncoding("utf8")
      req.on("data", (chunk: string) => (body += chunk))
      req.on("end", () => {
        handedOver.push(body)
        res.writeHead(299).end("framework")
      })
    })
    return { base: loopbackUrl(yield* listening(server)), handedOver }
  })

const restaurant = () => `resto-${crypto.randomUUID().slice(0, 8)}`

describe("resource write ingress: creates and patches answered below the HttpApi router", () => {
  layer(makeTestApp(), { excludeTestServices: true })((it) => {
    it.scoped("answers a create and a patch the API accepts, with the route's status and the entity", () =>
      Effect.gen(function*() {
        const { base, handedOver } = yield* ingressOnly()
        const restaurantId = restaurant()
        const { key } = yield* issueKey("app", [restaurantId])
        const auth = { authorization: `Bearer ${key}`, "x-request-id": "write-1" }

        const created = yield* send(base, {
          method: "POST",
          path: "/api/reservations",
          body: JSON.stringify(samples.reservation(restaurantId)),
          headers: auth
        })
        assert.strictEqual(created.status, 201)
        assert.strictEqual(created.headers["content-type"], "application/json")
        assert.strictEqual(created.headers["x-request-id"], "write-1")
        const entity = JSON.parse(created.body) as Record<string, unknown> & { readonly id: string }
        assert.deepInclude(entity, { restaurantId, partySize: 4, status: "confirmed", version: 1 })

        const patched = yield* send(base, {
          method: "PATCH",
          path: `/api/reservations/${entity.id}`,
          body: JSON.stringify({ partySize: 6 }),
          headers: auth
        })
        assert.strictEqual(patched.status, 200)
        assert.deepInclude(JSON.parse(patched.body), { id: entity.id, partySize: 6, version: 2 })

        const room = yield* send(base, {
          method: "POST",
          path: "/api/rooms",
          body: JSON.stringify(samples.diningRoom(restaurantId)),
          headers: auth
        })
        assert.strictEqual(room.status, 201)
        assert.deepStrictEqual(handedOver, [])
      }))

    it.scoped("runs a few writes at a time: the others wait their turn, and every one is answered", () =>
      Effect.gen(function*() {
        const { base, handedOver } = yield* ingressOnly(2)
        const restaurantId = restaurant()
        const { key } = yield* issueKey("app", [restaurantId])
        const auth = { authorization: `Bearer ${key}` }
        // Writes the API takes, and some it refuses (a payload that does not decode), mixed: a
        // turn must end whether the ingress answers or hands the write to the route.
        const bodies = Array.from({ length: 24 }, (_, i) =>
          i % 4 === 3
            ? JSON.stringify({ ...samples.reservation(restaurantId), partySize: "many" })
            : JSON.stringify(samples.reservation(restaurantId)))
        const answers = yield* Effect.forEach(
          bodies,
          (body) => send(base, { method: "POST", path: "/api/reservations", body, headers: auth }),
          { concurrency: "unbounded" }
        ).pipe(Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => new Error("a write never got its turn") }))
        assert.deepStrictEqual(
          answers.map((a) => a.status),
          bodies.map((_, i) => (i % 4 === 3 ? 299 : 201))
        )
        assert.strictEqual(handedOver.length, 6)
        const sql = yield* SqlClient.SqlClient
        const [{ n }] = yield* sql<{ n: number }>`
          SELECT count(*)::int AS n FROM reservations WHERE restaurant_id = ${restaurantId}`
        assert.strictEqual(n, 18)
      }))

    it.scoped("hands everything else to the route, body intact, having written nothing", () =>
      Effect.gen(function*() {
        const { base, handedOver } = yield* ingressOnly()
        const restaurantId = restaurant()
        const { key } = yield* issueKey("app", [restaurantId])
        const other = yield* issueKey("app", [restaurant()])
        const reservation = JSON.stringify(samples.reservation(restaurantId))
        const auth = { authorization: `Bearer ${key}` }
        const created = JSON.parse(
          (yield* send(base, { method: "POST", path: "/api/reservations", body: reservation, headers: auth })).body
        ) as { id: string }

        const cases = [
          // no key, an unknown key, a key of another restaurant
          { method: "POST", path: "/api/reservations", body: reservation },
          {
            method: "POST",
            path: "/api/reservations",
            body: reservation,
            headers: { authorization: "Bearer ars_nope" }
          },
          {
            method: "POST",
            path: "/api/reservations",
            body: reservation,
            headers: { authorization: `Bearer ${other.key}` }
          },
          {
            method: "PATCH",
            path: `/api/reservations/${created.id}`,
            body: "{\"partySize\":3}",
            headers: { authorization: `Bearer ${other.key}` }
          },
          // a payload the schema refuses, and one that is not JSON
          { method: "POST", path: "/api/reservations", body: "{\"partySize\":-1}", headers: auth },
          { method: "POST", path: "/api/reservations", body: "{nope", headers: auth },
          // a reference the restaurant does not have
          {
            method: "POST",
            path: "/api/reservations",
            body: JSON.stringify({ ...samples.reservation(restaurantId), diningRoomId: crypto.randomUUID() }),
            headers: auth
          },
          // a record that does not exist
          {
            method: "PATCH",
            path: `/api/reservations/${crypto.randomUUID()}`,
            body: "{\"partySize\":3}",
            headers: auth
          },
          // what the route decides on its own: the operator's cookie, a query string, an encoded id, text
          {
            method: "POST",
            path: "/api/reservations",
            body: reservation,
            headers: { ...auth, cookie: "alloresto_ops=x" }
          },
          { method: "POST", path: "/api/reservations?x=1", body: reservation, headers: auth },
          { method: "PATCH", path: `/api/reservations/%61${created.id}`, body: "{\"partySize\":3}", headers: auth },
          {
            method: "POST",
            path: "/api/reservations",
            body: reservation,
            headers: { ...auth, "content-type": "text/plain" }
          },
          // not a write route
          { method: "PUT", path: `/api/reservations/${created.id}`, body: "{}", headers: auth },
          { method: "POST", path: "/api/platform-configs", body: "{}", headers: auth }
        ]
        for (const sent of cases) {
          const answer = yield* send(base, sent)
          assert.deepStrictEqual([answer.status, answer.body], [299, "framework"], `${sent.method} ${sent.path}`)
        }
        assert.deepStrictEqual(handedOver, cases.map((sent) => sent.body))

        // Only the first create was written, and the refused patches changed nothing.
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ id: string; partySize: number; version: number }>`
          SELECT id, party_size, version FROM reservations WHERE restaurant_id = ${restaurantId}`
        assert.deepStrictEqual(rows.map((row) => ({ ...row })), [{ id: created.id, partySize: 4, version: 1 }])
      }))
  })

  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.scoped("answers as the HttpApi route does for the same write", () =>
      Effect.gen(function*() {
        const restaurantId = restaurant()
        const base = yield* ServiceUrl
        const { key } = yield* issueKey("app", [restaurantId])
        const body = JSON.stringify(samples.reservation(restaurantId))
        const headers = { authorization: `Bearer ${key}` }
        // The query string sends the same create through the router.
        const fast = yield* send(base, { method: "POST", path: "/api/reservations", body, headers })
        const routed = yield* send(base, { method: "POST", path: "/api/reservations?via=router", body, headers })
        assert.strictEqual(fast.status, routed.status)
        assert.strictEqual(fast.headers["content-type"], routed.headers["content-type"])
        const strip = (text: string) => {
          const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = JSON.parse(text) as Record<string, unknown>
          return rest
        }
        assert.deepStrictEqual(strip(fast.body), strip(routed.body))

        // A refusal handed over is the route's own answer.
        const refused = yield* request("POST", "/api/reservations", { partySize: 2 }, { key })
        assert.strictEqual(refused.status, 400)
        assert.deepInclude(refused.body as object, { _tag: "ValidationError" })
      }))
  })
})
