import { Clock, Duration, Effect, Schema } from "effect"
import { Platform } from "../../domain/ids.js"
import type { PlatformConnector } from "../../ports/connector-capabilities.js"
import type { ConnectorError } from "../../ports/connector-errors.js"
import { traced } from "../../ports/traced.js"

/** One call tried against the platform with the config's credentials. */
export const CredentialProbe = Schema.Struct({
  name: Schema.String,
  ok: Schema.Boolean,
  /** Why it failed; the connector's messages never carry a credential. */
  message: Schema.optional(Schema.String)
})

/**
 * What works with a config's credentials (issue 20, item 8): whether the platform accepts them,
 * then one read-only call per capability the connector has, so a wrong store or restaurant id
 * shows up before the first sync fails.
 */
export const CredentialCheck = Schema.Struct({
  platform: Platform,
  authenticated: Schema.Boolean,
  probes: Schema.Array(CredentialProbe),
  checkedAt: Schema.String
})
export type CredentialCheck = typeof CredentialCheck.Type

/** Bounded: a save waits for its check, and a platform that does not answer must not hold it up. */
const PROBE_TIMEOUT = Duration.seconds(5)

const probe = (name: string, call: Effect.Effect<unknown, ConnectorError>) =>
  call.pipe(
    Effect.timeoutFail({
      duration: PROBE_TIMEOUT,
      onTimeout: () => ({ message: `no answer within ${Duration.format(PROBE_TIMEOUT)}` })
    }),
    Effect.match({
      onFailure: (error): typeof CredentialProbe.Type => ({ name, ok: false, message: error.message }),
      onSuccess: (): typeof CredentialProbe.Type => ({ name, ok: true })
    })
  )

const liveClock = Clock.make()

const utcDate = (millis: number) => new Date(millis).toISOString().slice(0, 10)

/** Read-only calls only: a check never writes anything on the platform. */
const readProbes = (connector: PlatformConnector, today: string) => [
  ...(connector.reservations === undefined ? [] : [probe("availability", connector.availability(today, 2))]),
  ...(connector.store === undefined ? [] : [probe("store", connector.store.status())]),
  ...(connector.floorPlan === undefined ? [] : [probe("floorPlan", connector.floorPlan.pullDiningRooms())]),
  ...(connector.offers === undefined ? [] : [probe("offers", connector.offers.pullOffers())]),
  ...(connector.polling === undefined ? [] : [probe("polling", connector.polling.recentChanges(5))])
]

export const tryCredentials = (connector: PlatformConnector) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const authentication = yield* probe("authenticate", connector.authenticate())
    // Nothing else can work without authentication: its failure is the whole answer.
    const probes = authentication.ok ? yield* Effect.all(readProbes(connector, utcDate(now))) : []
    return {
      platform: connector.platform,
      authenticated: authentication.ok,
      probes: [authentication, ...probes],
      checkedAt: new Date(now).toISOString()
    } satisfies CredentialCheck
  }).pipe(
    // The bound is on real time (a platform's answer): a save never waits on a clock that may not
    // move, such as a test's TestClock around the service.
    Effect.withClock(liveClock),
    traced("CredentialCheck.check", { attributes: { platform: connector.platform }, captureStackTrace: false })
  )
