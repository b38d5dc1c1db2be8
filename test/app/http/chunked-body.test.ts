import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { connect } from "node:net"
import { TestServiceLive } from "../../support/app.js"
import { samples } from "../../support/samples.js"
import { request, ServiceUrl, TestAdminKey } from "../../support/service.js"

// Issue 18: a body with no Content-Length (chunked) that grows past MAX_BODY_BYTES (1 MB in the
// tests) gets its 413 as reliably as one announced too large, on the API and on webhooks alike.

/** Sends `bodyBytes` (or `body`) as 64 KiB chunks, stopping once an answer has come back; resolves on close. */
const chunkedPost = (port: number, path: string, key: string, bodyBytes: number, body?: Buffer) =>
  Effect.async<{ readonly answer: string; readonly error: string | undefined }>((resume) => {
    const socket = connect(port, "127.0.0.1")
    let answer = ""
    let error: string | undefined
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")))
    socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message))
    socket.on("close", () => resume(Effect.succeed({ answer, error })))
    socket.setTimeout(20_000, () => socket.destroy())
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\n` +
        `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`
    )
    const filler = Buffer.alloc(64 * 1024, 32)
    let sent = 0
    const pump = () => {
      while (sent < (body?.length ?? bodyBytes) && answer === "" && !socket.destroyed) {
        const chunk = body === undefined ? filler : body.subarray(sent, sent + 1_000)
        sent += chunk.length
        const ok = socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write("\r\n")
        if (!ok) return void socket.once("drain", pump)
      }
      // The terminating chunk, without half-closing: clients wait for the answer on an open socket.
      if (!socket.destroyed && answer === "") socket.write("0\r\n\r\n")
    }
    socket.once("connect", pump)
  })

layer(TestServiceLive, { excludeTestServices: true })("chunked bodies over the limit", (it) => {
  it.effect(
    "a chunked 3 MB body gets a JSON 413 on an API route and on the webhook route",
    () =>
      Effect.gen(function*() {
        const port = Number(new URL(yield* ServiceUrl).port)
        const key = yield* TestAdminKey
        for (const path of ["/api/reservations", "/api/webhooks/zenchef"]) {
          const { answer, error } = yield* chunkedPost(port, path, key, 3 * 1024 * 1024)
          assert.match(answer, /^HTTP\/1\.1 413 /, `${path}: ${answer.slice(0, 80)} (${error})`)
          assert.include(answer, "PayloadTooLarge", path)
        }
      }),
    { timeout: 60_000 }
  )

  it.effect("a chunked body within the limit is taken as any other", () =>
    Effect.gen(function*() {
      const port = Number(new URL(yield* ServiceUrl).port)
      const body = Buffer.from(JSON.stringify({ ...samples.reservation("resto-chunked"), notes: "x".repeat(5_000) }))
      const { answer } = yield* chunkedPost(port, "/api/reservations", yield* TestAdminKey, 0, body)
      assert.match(answer, /^HTTP\/1\.1 201 /, answer.slice(0, 300))
      const listed = yield* request("GET", "/api/reservations?restaurantId=resto-chunked")
      assert.strictEqual((listed.body as { items: ReadonlyArray<{ notes: string }> }).items[0]?.notes.length, 5_000)
    }))
})
