import { assert, describe, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Option, Redacted } from "effect"
import * as net from "node:net"
import { inject } from "vitest"
import { freePort } from "../../../bench/lib/service.js"
import { awaitDatabase, describeDatabase } from "../../../src/adapters/sql/database-reachable.js"
import { appSettingFrom } from "../../support/app-config.js"

const withPort = (url: string, port: number) => {
  const moved = new URL(url)
  moved.port = String(port)
  return moved.toString()
}

/** A loopback port that forwards to the test PostgreSQL once opened: a server that starts late. */
const forwarder = (port: number, to: number) =>
  Effect.acquireRelease(
    Effect.async<net.Server>((resume) => {
      const server = net.createServer((socket) => {
        const upstream = net.connect(to, "127.0.0.1")
        socket.on("error", () => upstream.destroy())
        upstream.on("error", () => socket.destroy())
        socket.pipe(upstream).pipe(socket)
      })
      server.listen(port, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  )

// DATABASE_URL's server may start after the service (a compose file), or refuse it for good.
describe("waiting for the database at start", () => {
  const pgUrl = () => inject("pgUrl")

  it.live("passes at once when the database answers", () =>
    Effect.gen(function*() {
      yield* awaitDatabase(Redacted.make(pgUrl()), Duration.seconds(1))
    }))

  it.live("fails at once, in PostgreSQL's words and without the password, when the password is wrong", () =>
    Effect.gen(function*() {
      const url = new URL(pgUrl())
      url.password = "not-the-password-4e1c"
      const startedAt = Date.now()
      const error = yield* Effect.flip(awaitDatabase(Redacted.make(url.toString()), Duration.seconds(30)))
      assert.strictEqual(error._tag, "DatabaseUnreachable")
      assert.include(error.message, `cannot connect to the database at ${describeDatabase(Redacted.make(pgUrl()))}`)
      assert.include(error.message, "password authentication failed")
      assert.notInclude(error.message, "not-the-password-4e1c")
      assert.notInclude(error.message, "waited")
      assert.isBelow(Date.now() - startedAt, 15_000, "a wrong password is not waited on")
    }))

  it.live("keeps trying while nothing listens, then says how long it waited", () =>
    Effect.gen(function*() {
      const port = yield* Effect.promise(() => freePort())
      const error = yield* Effect.flip(
        awaitDatabase(Redacted.make(withPort(pgUrl(), port)), Duration.millis(1_500))
      )
      assert.strictEqual(
        error.message,
        `cannot connect to the database at postgres@127.0.0.1:${port}/postgres: connection refused (waited 1s 500ms)`
      )
    }))

  it.live("connects once a server comes up on the address within the wait", () =>
    Effect.gen(function*() {
      const port = yield* Effect.promise(() => freePort())
      const pgPort = Number(new URL(pgUrl()).port)
      yield* Effect.sleep("1500 millis").pipe(Effect.zipRight(forwarder(port, pgPort)), Effect.forkScoped)
      yield* awaitDatabase(Redacted.make(withPort(pgUrl(), port)), Duration.seconds(20))
    }).pipe(Effect.scoped))

  it("a DATABASE_URL that is no postgres URL is refused with the settings, naming no part of it", () => {
    const read = (url: string) => appSettingFrom({ DATABASE_URL: url }, (config) => config.databaseUrl)
    for (
      const wrong of [
        "db-secret-host",
        "mysql://u:secret@db/sync",
        "postgres://",
        "http://db.internal/sync",
        "postgres://u:secret@/sync"
      ]
    ) {
      const exit = read(wrong)
      assert.isTrue(Exit.isFailure(exit), wrong)
      const said = Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
      assert.include(said, "DATABASE_URL")
      assert.include(said, "must be a postgres:// or postgresql:// URL")
      assert.notInclude(said, "secret")
    }
    for (
      const right of [
        "postgres://u:p@db.internal/sync",
        "postgresql://db:6432/sync",
        "postgres:///sync?host=/run/postgresql"
      ]
    ) {
      assert.isTrue(Exit.isSuccess(read(right)), right)
    }
    assert.deepStrictEqual(read(""), Exit.succeed(Option.none()))
  })

  it("names the database without its password", () => {
    assert.strictEqual(
      describeDatabase(Redacted.make("postgres://app:s3cret@db.internal/sync")),
      "app@db.internal:5432/sync"
    )
    assert.strictEqual(describeDatabase(Redacted.make("not a url s3cret")), "DATABASE_URL (not a postgres URL)")
    assert.strictEqual(
      describeDatabase(Redacted.make("postgres://app:s3cret@/sync?host=/run/postgresql")),
      "app@/run/postgresql:5432/sync"
    )
  })
})
