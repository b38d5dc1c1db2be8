import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServiceLive } from "../support/app.js"
import { request } from "../support/service.js"

describe("GET /health", () => {
  layer(TestServiceLive, { excludeTestServices: true })((it) => {
    it.effect("answers 200 with the database reported up", () =>
      Effect.gen(function*() {
        const response = yield* request("GET", "/health")
        assert.strictEqual(response.status, 200)
        assert.deepStrictEqual(response.body, { status: "ok", database: "up" })
      }))

    it.effect("unknown routes answer a JSON 404", () =>
      Effect.gen(function*() {
        const response = yield* request("GET", "/no/such/route")
        assert.strictEqual(response.status, 404)
        assert.strictEqual((response.body as { _tag: string })._tag, "NotFound")
      }))
  })
})
