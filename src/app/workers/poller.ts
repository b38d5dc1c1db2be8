import { Cause, Clock, Duration, Effect, Exit, Option, Ref } from "effect"
import { mastersMenu } from "../../domain/mastering.js"
import { takesMenu } from "../../domain/push-fan-out.js"
import type { PlatformConnector } from "../../ports/connector-capabilities.js"
import { isConnectorError } from "../../ports/connector-errors.js"
import { ConnectorRegistry } from "../../ports/connector-registry.js"
import { PlatformConfigRepository, type PlatformConfigWithSecrets } from "../../ports/platform-config-repository.js"
import { SyncLogRepository } from "../../ports/sync-log-repository.js"
import { causeLine } from "../observability/cause-line.js"
import { decryptConfig } from "../sync/connector-config.js"
import { EventInbox } from "../sync/event-inbox.js"
import { masterMenuRead, menuChanged, pullMasterMenu } from "../sync/inbound-menu.js"
import { failingPasses } from "./failing-passes.js"

/**
 * A platform master of the menu sends no word when its menu changes (Uber Eats, Deliveroo): it is
 * read every poll, and a change is written here (and so goes on to the other menu platforms) and
 * logged; a menu as it was leaves no line, nor do items refused here when the config's last menu
 * line already names them (one line when they first are, not one every poll). Returns 1 for a
 * changed menu, else 0.
 */
const pollMasterMenu = (config: PlatformConfigWithSecrets, connector: PlatformConnector) =>
  Effect.gen(function*() {
    if (connector.menu === undefined || !mastersMenu(config) || !takesMenu(config)) return 0
    const pull = yield* pullMasterMenu(config.restaurantId, config.platform, connector)
    const logs = yield* SyncLogRepository
    const line = masterMenuRead(pull, config.platform)
    if (!menuChanged(pull)) {
      if (pull.refused.length === 0) return 0
      const [last] = (yield* logs.list({
        restaurantId: config.restaurantId,
        platform: config.platform,
        entityType: "menu_item",
        direction: "inbound",
        limit: 1,
        offset: 0
      })).items
      if (last?.action === "pull_menu" && last.errorMessage === line.errorMessage) return 0
    }
    yield* logs.append({
      ...line,
      restaurantId: config.restaurantId,
      entityType: "menu_item",
      platform: config.platform,
      externalId: null,
      direction: "inbound"
    })
    return menuChanged(pull) ? 1 : 0
  })

const POLL_FAILED = "polling failed: "

/** A platform's own words; anything else is the logs'. */
const pollError = (what: string, cause: Cause.Cause<unknown>) => {
  const said = Option.match(Option.filter(Cause.failureOption(cause), isConnectorError), {
    onNone: () => "an internal error (see the service's logs)",
    onSome: (failure) => failure.message
  })
  return `${POLL_FAILED}${what}: ${said}`
}

/**
 * A failing poll is the config's current error, on /ops as a failing push's is, so a platform read
 * only by polling (its credentials revoked, its API down) does not fail unseen; the next poll that
 * works clears it.
 */
const recordPoll = (config: PlatformConfigWithSecrets, error: Option.Option<string>) =>
  Effect.gen(function*() {
    const configs = yield* PlatformConfigRepository
    if (Option.isSome(error)) {
      return yield* configs.recordOutcome(config.restaurantId, config.platform, { ok: false, error: error.value })
    }
    if (config.lastError?.startsWith(POLL_FAILED) !== true) return
    const at = new Date(yield* Clock.currentTimeMillis).toISOString()
    yield* configs.recordOutcome(config.restaurantId, config.platform, { ok: true, at })
  })

/**
 * every config's poll_interval_sec, pull the platform's recent changes and store them as
 * events, the same path webhooks take. Event ids are stable per record state, so a change seen
 * by both a webhook and a poll is applied once.
 */
export const makePoller = Effect.gen(function*() {
  const lastPolled = yield* Ref.make(new Map<string, number>())

  const pollConfig = (config: PlatformConfigWithSecrets) =>
    Effect.gen(function*() {
      const registry = yield* ConnectorRegistry
      const inbox = yield* EventInbox
      const connector = yield* registry.connectorFor(yield* decryptConfig(config).pipe(Effect.orDie))
      const polling = connector.polling
      const bookings = polling === undefined
        ? Effect.succeed(0)
        : Effect.gen(function*() {
          // A little overlap with the previous window: an event on the boundary is not missed.
          const sinceMinutes = Math.ceil(config.pollIntervalSec / 60) + 1
          const events = yield* polling.recentChanges(sinceMinutes)
          const stored = yield* inbox.store(config.restaurantId, events)
          return stored.filter((s) => !s.duplicate).length
        })
      // Each part fails on its own: a menu that cannot be read leaves the bookings polled.
      const parts = [
        { what: "menu", exit: yield* Effect.exit(pollMasterMenu(config, connector)) },
        { what: "bookings", exit: yield* Effect.exit(bookings) }
      ]
      let found = 0
      let error = Option.none<string>()
      for (const { exit, what } of parts) {
        if (Exit.isSuccess(exit)) {
          found += exit.value
          continue
        }
        // A service closing is no platform's failure.
        if (Cause.isInterruptedOnly(exit.cause)) return yield* Effect.failCause(exit.cause)
        yield* Effect.logWarning(
          `polling ${config.platform}'s ${what} for ${config.restaurantId} failed: ${causeLine(exit.cause)}`
        )
        if (Option.isNone(error)) error = Option.some(pollError(what, exit.cause))
      }
      yield* recordPoll(config, error)
      return found
    }).pipe(
      // Issue 19: whatever one config meets (a platform error, credentials that cannot be
      // decrypted, a defect) ends its own poll only: the other restaurants are polled as usual.
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.as(
          Effect.zipRight(
            Effect.logWarning(`polling ${config.platform} for ${config.restaurantId} failed: ${causeLine(cause)}`),
            recordPoll(config, Option.some(pollError("connector", cause))).pipe(Effect.catchAllCause(() => Effect.void))
          ),
          0
        )
      )
    )

  const pollDue = Effect.gen(function*() {
    const configs = yield* PlatformConfigRepository
    const now = yield* Clock.currentTimeMillis
    const seen = yield* Ref.get(lastPolled)
    const due = (yield* configs.listActive()).filter((config) => {
      const last = seen.get(config.id)
      return last === undefined || now - last >= config.pollIntervalSec * 1000
    })
    yield* Ref.update(lastPolled, (m) => {
      const next = new Map(m)
      for (const config of due) next.set(config.id, now)
      return next
    })
    const counts = yield* Effect.forEach(due, pollConfig, { concurrency: 4 })
    return counts.reduce((a, b) => a + b, 0)
  })

  return {
    pollDue,
    run: (tick: Duration.DurationInput) =>
      Effect.suspend(() => {
        // One pass a tick, failing or not: a tick (10 s) is already as long as the back-off goes.
        const failures = failingPasses("poller pass", tick)
        return Effect.forever(
          Effect.zipRight(
            pollDue.pipe(Effect.matchCauseEffect({ onFailure: failures.failed, onSuccess: () => failures.succeeded })),
            Effect.sleep(tick)
          )
        )
      })
  }
})

export const pollTick = Duration.seconds(10)
