import { assert, describe, layer } from "@effect/vitest"
import { Effect, type Layer, type Scope } from "effect"
import type { ConnectorError } from "../../../../src/ports/connector-errors.js"

/** A connector whose calls need an OAuth token, and its simulator's token counters. */
export interface TokenSubject {
  /** One authorized API call through the connector. */
  readonly call: Effect.Effect<void, ConnectorError>
  readonly tokenRequests: Effect.Effect<number>
  /** 401s the simulator answered (missing, unknown, expired or revoked tokens). */
  readonly unauthorized: Effect.Effect<number>
  readonly revokeTokens: Effect.Effect<void>
  /** Tokens issued from now on live this long. */
  readonly setTokenLifetime: (seconds: number) => Effect.Effect<void>
}

export interface TokenHarness<R> {
  readonly layer: Layer.Layer<R>
  /** A fresh simulator issuing tokens that live `lifetimeSeconds`, and a connector to it. */
  readonly start: (lifetimeSeconds: number) => Effect.Effect<TokenSubject, never, Scope.Scope | R>
}

/** tokens refreshed before expiry, once, even when many requests need one at the same moment. */
export const tokenConformance = <R>(name: string, harness: TokenHarness<R>) =>
  describe(`${name} OAuth tokens`, () => {
    layer(harness.layer, { excludeTestServices: true })((it) => {
      it.scoped("50 concurrent calls through a connector whose token has just expired cause exactly one token request", () =>
        Effect.gen(function*() {
          const s = yield* harness.start(1)
          yield* s.call
          assert.strictEqual(yield* s.tokenRequests, 1)
          // The next token lives long, so however slowly the 50 calls run, none is due for renewal.
          yield* s.setTokenLifetime(3600)
          yield* Effect.sleep("1100 millis")
          yield* Effect.all(Array.from({ length: 50 }, () => s.call), { concurrency: "unbounded" })
          assert.strictEqual(yield* s.tokenRequests, 2)
          assert.strictEqual(yield* s.unauthorized, 0)
        }))

      it.scoped("a token is renewed shortly before it expires, so the platform never refuses one", () =>
        Effect.gen(function*() {
          const s = yield* harness.start(4)
          yield* s.call
          yield* Effect.sleep("1 second")
          yield* s.call
          assert.strictEqual(yield* s.tokenRequests, 1, "a token still far from expiry is reused")
          // Inside the last tenth of its life: still valid at the platform, already replaced here.
          yield* Effect.sleep("2750 millis")
          yield* s.call
          assert.strictEqual(yield* s.tokenRequests, 2)
          assert.strictEqual(yield* s.unauthorized, 0)
        }))

      it.scoped("a token the platform drops before its expiry is replaced once and the call goes through", () =>
        Effect.gen(function*() {
          const s = yield* harness.start(3600)
          yield* s.call
          yield* s.revokeTokens
          yield* s.call
          assert.strictEqual(yield* s.unauthorized, 1)
          assert.strictEqual(yield* s.tokenRequests, 2)
        }))
    })
  })
