import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { ConnectorRegistryLive, platformModules } from "../../../src/adapters/platforms/registry.js"
import { platforms } from "../../../src/domain/ids.js"
import { ConnectorRegistry } from "../../../src/ports/connector-registry.js"
import { simulatorStarters } from "../../../src/simulators/index.js"

const here = path.dirname(new URL(import.meta.url).pathname)

// and issue #5: adding a platform is a folder plus one registry line, and it is not done
// until it has a simulator and runs the shared conformance suite against it.
describe("every registered platform has a simulator and runs the conformance suite", () => {
  layer(ConnectorRegistryLive().pipe(Layer.provide(NodeHttpClient.layerUndici)), { excludeTestServices: true })(
    (it) => {
      for (const platform of platforms) {
        it.scoped(`${platform}: a connector module, a simulator that starts, and a conformance run`, () =>
          Effect.gen(function*() {
            const registry = yield* ConnectorRegistry
            assert.isTrue(Option.isSome(registry.moduleFor(platform)), "registered")
            assert.strictEqual(platformModules[platform]?.platform, platform)

            const running = yield* simulatorStarters[platform]({ port: 0, rateLimited: false })
            const response = yield* Effect.promise(() =>
              fetch(running.controlUrl.replace(/\/$/, "") + "/state").catch(() => undefined)
            )
            assert.isDefined(response, "the simulator answers on loopback")

            const file = path.join(here, platform, "connector-conformance.test.ts")
            const source = yield* Effect.promise(() => fs.readFile(file, "utf8").catch(() => ""))
            assert.match(source, /from "\.\.\/conformance\//, `${file} runs the shared suite`)
          }))
      }
    }
  )
})
