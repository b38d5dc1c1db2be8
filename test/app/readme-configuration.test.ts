import { ConfigError, ConfigProvider, ConfigProviderPathPatch, Effect, Exit, HashSet } from "effect"
import { describe, expect, it } from "vitest"
import { AppConfig } from "../../src/app/config.js"
import { readme } from "../support/readme.js"

/** Every variable the service reads: a provider that has none records each one asked for. */
const variablesRead = () => {
  const asked = new Set<string>()
  const provider = ConfigProvider.fromFlat(ConfigProvider.makeFlat({
    load: (path) => {
      asked.add(path.join("."))
      return Effect.fail(ConfigError.MissingData([...path], "not set"))
    },
    enumerateChildren: () => Effect.succeed(HashSet.empty()),
    patch: ConfigProviderPathPatch.empty
  }))
  // Every setting has a default, so reading them all with none set succeeds.
  expect(Exit.isSuccess(Effect.runSyncExit(Effect.withConfigProvider(AppConfig, provider)))).toBe(true)
  return [...asked]
}

/** The variables named in the first cell of a README table row. */
const documented = new Set(
  readme.split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...(line.split("|")[1] ?? "").matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!))
)

describe("the README's configuration", () => {
  it("has a table row for every variable the service reads", () => {
    const variables = variablesRead()
    expect(variables.length).toBeGreaterThan(30)
    expect(variables.filter((name) => !documented.has(name))).toEqual([])
  })
})
