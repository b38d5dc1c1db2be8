import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { platforms } from "../../src/domain/ids.js"
import { simulatorStarters } from "../../src/simulators/index.js"

const get = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return { status: response.status, body: await response.text() }
  })

describe("a simulator's control base", () => {
  for (const platform of platforms) {
    it.scopedLive(`${platform}: GET of the base lists the control routes, each served there`, () =>
      Effect.gen(function*() {
        const running = yield* simulatorStarters[platform]({ port: 0, rateLimited: false })
        const base = new URL(running.controlUrl)
        const index = yield* get(running.controlUrl)
        assert.strictEqual(index.status, 200)
        const routes = (JSON.parse(index.body) as { routes: Array<string> }).routes
        // Common to every simulator, and one of each platform's own.
        assert.includeMembers(routes, [`PUT ${base.pathname}/faults`, `GET ${base.pathname}/counters`])
        assert.isAbove(routes.filter((r) => !r.endsWith("/faults") && !r.includes("/webhooks")).length, 3)
        assert.deepStrictEqual((yield* get(`${running.controlUrl}/`)).body, index.body)
        // The list is the router's: every listed GET without a parameter answers, an unlisted path does not.
        for (const route of routes.filter((r) => r.startsWith("GET ") && !r.includes("{"))) {
          const path = route.slice("GET ".length)
          assert.strictEqual((yield* get(`${base.origin}${path}`)).status, 200, route)
        }
        assert.strictEqual((yield* get(`${running.controlUrl}/no-such-control`)).status, 404)
      }))
  }
})
