import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Clock, Deferred, Duration, Effect, Exit, Option, Redacted, Ref, Schema } from "effect"
import type { Platform } from "../../../domain/ids.js"
import { type ConnectorError, PlatformPermanentError, PlatformRetryableError } from "../../../ports/connector-errors.js"
import { boundedText, notRead } from "./bounded-body.js"
import { withinDeadline } from "./deadline.js"
import { EGRESS_REFUSED, isEgressRefusal } from "./egress.js"
import { ConnectorHttpPolicy, parseRetryAfter, retryTransient } from "./http-policy.js"
import { jsonText } from "./json-body.js"

/**
 * Access tokens that expire (TheFork 8600 s, SevenRooms ~24 h, Uber Eats, Deliveroo 300 s): one
 * cache per credential, refreshed shortly BEFORE expiry and fetched ONCE however many requests
 * need it at that moment. TheFork asks clients not to fetch a token while theirs is still
 * valid, so a token is replaced only inside its last minute (or last tenth, if shorter).
 */

/** A token as the authorization server issued it. */
export interface IssuedToken {
  readonly token: Redacted.Redacted<string>
  /** Epoch milliseconds after which the server refuses it. */
  readonly expiresAt: number
}

export interface TokenCache {
  /** A token not yet due for renewal: the cached one, or one fetch shared by every caller waiting at that moment. */
  readonly get: Effect.Effect<Redacted.Redacted<string>, ConnectorError>
  /** The platform refused `token` (401): forget it, unless a newer token has already replaced it. */
  readonly invalidate: (token: Redacted.Redacted<string>) => Effect.Effect<void>
}

export interface TokenCacheOptions {
  readonly issue: Effect.Effect<IssuedToken, ConnectorError>
  /** How long before expiry a token is renewed, given its lifetime. */
  readonly refreshMargin?: (lifetime: Duration.Duration) => Duration.Duration
}

const defaultRefreshMargin = (lifetime: Duration.Duration): Duration.Duration =>
  Duration.min(Duration.minutes(1), Duration.millis(Duration.toMillis(lifetime) / 10))

interface Cached {
  readonly token: Redacted.Redacted<string>
  readonly renewAt: number
  readonly expiresAt: number
}

interface State {
  readonly current: Option.Option<Cached>
  readonly inflight: Option.Option<Deferred.Deferred<Redacted.Redacted<string>, ConnectorError>>
}

const sameToken = Redacted.getEquivalence<string>((a, b) => a === b)

const makeTokenCache = (options: TokenCacheOptions): Effect.Effect<TokenCache> =>
  Effect.gen(function*() {
    const margin = options.refreshMargin ?? defaultRefreshMargin
    const state = yield* Ref.make<State>({ current: Option.none(), inflight: Option.none() })

    // Runs detached from the caller that started it: its interruption must not fail the others waiting.
    const fetchInto = (deferred: Deferred.Deferred<Redacted.Redacted<string>, ConnectorError>) =>
      Effect.exit(options.issue).pipe(
        Effect.flatMap((exit) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Ref.update(state, (s) => ({
              inflight: Option.none(),
              current: Exit.isSuccess(exit)
                ? Option.some({
                  token: exit.value.token,
                  expiresAt: exit.value.expiresAt,
                  renewAt: exit.value.expiresAt -
                    Duration.toMillis(margin(Duration.millis(Math.max(0, exit.value.expiresAt - now))))
                })
                : s.current
            }))).pipe(Effect.zipRight(Deferred.done(deferred, Exit.map(exit, (issued) => issued.token))))
        )
      )

    type Step =
      | { readonly _tag: "Cached"; readonly token: Redacted.Redacted<string> }
      | {
        readonly _tag: "Wait"
        readonly deferred: Deferred.Deferred<Redacted.Redacted<string>, ConnectorError>
        readonly start: boolean
      }

    const get = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const mine = yield* Deferred.make<Redacted.Redacted<string>, ConnectorError>()
      const [step, previous] = yield* Ref.modify(state, (s): [readonly [Step, Option.Option<Cached>], State] => {
        if (Option.isSome(s.current) && now < s.current.value.renewAt) {
          return [[{ _tag: "Cached", token: s.current.value.token }, s.current], s]
        }
        if (Option.isSome(s.inflight)) {
          return [[{ _tag: "Wait", deferred: s.inflight.value, start: false }, s.current], s]
        }
        return [[{ _tag: "Wait", deferred: mine, start: true }, s.current], { ...s, inflight: Option.some(mine) }]
      })
      if (step._tag === "Cached") return step.token
      if (step.start) yield* Effect.forkDaemon(fetchInto(step.deferred))
      // A renewal that fails inside the margin leaves the old token usable until it really expires.
      return yield* Deferred.await(step.deferred).pipe(
        Effect.catchAll((error) =>
          Effect.flatMap(Clock.currentTimeMillis, (t) =>
            Option.isSome(previous) && t < previous.value.expiresAt
              ? Effect.succeed(previous.value.token)
              : Effect.fail(error))
        )
      )
    })

    const invalidate = (token: Redacted.Redacted<string>) =>
      Ref.update(state, (s) =>
        Option.isSome(s.current) && sameToken(s.current.value.token, token) ? { ...s, current: Option.none() } : s)

    return { get, invalidate }
  })

/** The answer of an OAuth2 token endpoint (RFC 6749 §5.1). */
const OAuthTokenResponse = Schema.Struct({
  access_token: Schema.String.pipe(Schema.nonEmptyString()),
  expires_in: Schema.Number.pipe(Schema.positive()),
  token_type: Schema.optional(Schema.String)
})

export interface FormTokenRequest<A, I> {
  readonly platform: Platform
  readonly url: string
  readonly form: Readonly<Record<string, string>>
  readonly response: Schema.Schema<A, I>
  readonly toToken: (decoded: A, nowMs: number) => IssuedToken
}

/**
 * POSTs a form to a token endpoint. Any 4xx but 408/429 is an auth failure: the credentials are
 * the request's only input. Bodies are never quoted, since they may echo the secret.
 */
const requestFormToken = <A, I>(request: FormTokenRequest<A, I>) =>
  Effect.gen(function*() {
    // Scoped requests: the deadline aborts one by closing its scope (deadline.ts).
    const client = HttpClient.withScope(yield* HttpClient.HttpClient)
    const policy = yield* ConnectorHttpPolicy
    const { platform } = request
    const fail = (status: number, retryAfter: string | undefined, now: number): ConnectorError =>
      status === 429 || status === 408 || status >= 500
        ? new PlatformRetryableError({
          platform,
          reason: status === 429 ? "rate_limited" : status === 408 ? "timeout" : "server",
          status,
          retryAfter: Option.getOrUndefined(parseRetryAfter(retryAfter, now)),
          message: `${platform} token request: HTTP ${status}`
        })
        : new PlatformPermanentError({
          platform,
          reason: "auth",
          status,
          message: `${platform} token request refused: HTTP ${status}`
        })
    const exchange = Effect.gen(function*() {
      const response = yield* client.execute(
        HttpClientRequest.post(request.url).pipe(
          HttpClientRequest.bodyUrlParams(request.form),
          HttpClientRequest.acceptJson
        )
      )
      const text = yield* boundedText(response, policy.maxResponseBytes)
      const now = yield* Clock.currentTimeMillis
      if (response.status < 200 || response.status >= 300) {
        return yield* Effect.fail(fail(response.status, response.headers["retry-after"], now))
      }
      if (Option.isNone(text)) {
        return yield* new PlatformPermanentError({
          platform,
          reason: "validation",
          message: `${platform} token request: ${notRead(policy.maxResponseBytes)}`
        })
      }
      const decoded = yield* Schema.decodeUnknown(jsonText(request.response))(text.value).pipe(
        Effect.mapError(() =>
          new PlatformPermanentError({
            platform,
            reason: "validation",
            message: `${platform} token request: unexpected response`
          })
        )
      )
      return request.toToken(decoded, now)
    }).pipe(
      Effect.catchTags({
        RequestError: (e) =>
          Effect.fail(
            isEgressRefusal(e.cause)
              ? new PlatformPermanentError({
                platform,
                reason: "validation",
                message: `${platform} token request: ${EGRESS_REFUSED}`
              })
              : new PlatformRetryableError({
                platform,
                reason: "network",
                message: `${platform} token request: connection failed`
              })
          ),
        ResponseError: () =>
          Effect.fail(
            new PlatformRetryableError({
              platform,
              reason: "network",
              message: `${platform} token request: connection failed`
            })
          )
      })
    )
    const once = withinDeadline(exchange, Duration.decode(policy.timeout), () =>
      new PlatformRetryableError({
        platform,
        reason: "timeout",
        message: `${platform} token request: no answer in time`
      }))
    return yield* retryTransient(policy)(once).pipe(Effect.withSpan(`${platform}.token`))
  })

export interface ClientCredentials {
  readonly platform: Platform
  readonly tokenUrl: string
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** Extra form fields, e.g. `audience` (Auth0: TheFork) or `scope` (Uber Eats). */
  readonly extra?: Readonly<Record<string, string>>
}

/** A token cache fed by a form token endpoint; needs the HttpClient and policy once, at build time. */
export const makeFormTokenCache = <A, I>(
  request: FormTokenRequest<A, I>,
  refreshMargin?: TokenCacheOptions["refreshMargin"]
) =>
  Effect.gen(function*() {
    const context = yield* Effect.context<HttpClient.HttpClient>()
    const policy = yield* ConnectorHttpPolicy
    const issue = requestFormToken(request).pipe(
      Effect.provide(context),
      Effect.provideService(ConnectorHttpPolicy, policy)
    )
    return yield* makeTokenCache(refreshMargin === undefined ? { issue } : { issue, refreshMargin })
  })

/** A token cache fed by the RFC 6749 §4.4 client-credentials grant, form-encoded (TheFork, Uber Eats, Deliveroo). */
export const makeClientCredentialsCache = (c: ClientCredentials, refreshMargin?: TokenCacheOptions["refreshMargin"]) =>
  makeFormTokenCache({
    platform: c.platform,
    url: c.tokenUrl,
    form: {
      grant_type: "client_credentials",
      client_id: c.clientId,
      client_secret: Redacted.value(c.clientSecret),
      ...c.extra
    },
    response: OAuthTokenResponse,
    toToken: (r, now) => ({ token: Redacted.make(r.access_token), expiresAt: now + r.expires_in * 1000 })
  }, refreshMargin)
