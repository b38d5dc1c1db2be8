import { Cause, Exit, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { AppConfig } from "../../src/app/config.js"
import { describeSettingsError } from "../../src/app/settings-error.js"
import { appSettingFrom } from "../support/app-config.js"

const said = (env: Record<string, string>) => {
  const exit = appSettingFrom(env, (config: AppConfig) => config)
  return Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "accepted"
}

// Values that used to be taken and then broke the service: a zero pool hung every query, a zero
// rate limit or worker concurrency stalled every push, a lease below its heartbeat let a second
// worker take a job still in flight, PORT=70000 stopped the start with a stack trace.
describe("a setting out of its range", () => {
  it.each([
    ["PORT", "70000", "must be from 0 to 65535"],
    ["PORT", "-1", "must be from 0 to 65535"],
    ["DATABASE_POOL_SIZE", "0", "must be at least 1"],
    ["MAX_BODY_BYTES", "0", "must be at least 1024"],
    ["WORKER_BATCH_SIZE", "0", "must be at least 1"],
    ["WORKER_INBOUND_BATCH_SIZE", "0", "must be at least 1"],
    ["WORKER_CONCURRENCY", "0", "must be at least 1"],
    ["PLATFORM_RATE_LIMIT", "0", "must be at least 1"],
    ["WORKER_POLL_INTERVAL", "0 millis", "must be longer than 0"],
    ["WORKER_LEASE", "1 second", "must be at least 3s"],
    ["PLATFORM_RATE_WINDOW", "0 seconds", "must be longer than 0"],
    ["PLATFORM_TIMEOUT", "0 seconds", "must be longer than 0"],
    ["JOB_RETENTION", "0 days", "must be longer than 0"],
    ["LOG_RETENTION", "0 days", "must be longer than 0"],
    ["DEAD_LETTER_RETENTION", "0 days", "must be longer than 0"],
    ["CHANGE_LOG_RETENTION", "0 days", "must be longer than 0"]
  ])("%s=%s stops the start, naming the setting and its rule", (name, value, rule) => {
    expect(said({ [name]: value })).toContain(`Invalid data at ${name}: "${rule}`)
  })

  it.each([
    ["PORT", "0"],
    ["PORT", "65535"],
    ["DATABASE_POOL_SIZE", "1"],
    ["MAX_BODY_BYTES", "1024"],
    ["WORKER_LEASE", "3 seconds"],
    ["WORKER_POLL_INTERVAL", "50 millis"],
    ["PLATFORM_RATE_LIMIT", "1"]
  ])("%s=%s, at the edge of its range, is taken", (name, value) => {
    expect(said({ [name]: value })).toBe("accepted")
  })

  it("the defaults are all within range", () => {
    expect(said({})).toBe("accepted")
  })

  it("every wrong setting is named at once, each by its variable alone", () => {
    const exit = appSettingFrom(
      { PORT: "70000", WORKER_LEASE: "1 second", LOG_LEVEL: "verbose", OTEL_TRACES_SAMPLER: "sometimes" },
      (config: AppConfig) => config
    )
    expect(Exit.isFailure(exit)).toBe(true)
    const described = Exit.isFailure(exit)
      ? Option.match(Cause.failureOption(exit.cause), { onNone: () => "", onSome: describeSettingsError })
      : ""
    expect(described.split("; ").sort()).toEqual([
      "LOG_LEVEL Expected a log level (All, Trace, Debug, Info, Warning, Error, Fatal, None) but received \"verbose\"",
      "OTEL_TRACES_SAMPLER Expected one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio, but got sometimes",
      "PORT must be from 0 to 65535",
      "WORKER_LEASE must be at least 3s"
    ])
  })
})
