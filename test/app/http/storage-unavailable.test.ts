import { SqlError } from "@effect/sql/SqlError"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Option } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { replyForCause } from "../../../src/app/http/error-responses.js"
import { send, shuttingDown } from "../../../src/app/http/webhook-ingress.js"

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })

/** What a client receives when the service answers `reply` below the router, over loopback HTTP. */
const received = (reply: Parameters<typeof send>[2]) =>
  Effect.acquireUseRelease(
    Effect.async<http.Server>((resume) => {
      const server = http.createServer((_, response) => send(response, "req-1", reply))
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.promise(async () => {
        const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
        return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() }
      }),
    (server) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
  )

// A database out of reach (a restart, a failover) or a service stopping is "try again",
// and a client should be told when.
describe("answers worth trying again", () => {
  it.live("the database out of reach: 503 Unavailable with Retry-After, nothing of the cause", () =>
    Effect.gen(function*() {
      const reply = yield* replyForCause(
        Cause.die(new SqlError({ cause: refused, message: "Failed to acquire connection" }))
      )
      assert.isTrue(Option.isSome(reply))
      const answered = yield* received(Option.getOrThrow(reply))
      assert.deepStrictEqual(answered, {
        status: 503,
        retryAfter: "5",
        body: { _tag: "Unavailable", message: "storage unavailable, try again shortly" }
      })
    }))

  it.live("a service stopping: 503 with Retry-After, for another instance or the next start", () =>
    Effect.gen(function*() {
      const answered = yield* received(shuttingDown)
      assert.strictEqual(answered.status, 503)
      assert.strictEqual(answered.retryAfter, "1")
    }))
})
