import * as OpenApi from "@effect/platform/OpenApi"
import { describe, expect, it } from "vitest"
import { SyncApi } from "../../src/app/http/api.js"
import { readme } from "../support/readme.js"

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * A route as the README may write it: its path up to the first parameter, and what follows the
 * last one (`/api/platform-configs` and `/check` for `/api/platform-configs/{id}/check`), both on
 * one line, neither running on into a longer name.
 */
const documented = (route: string) => {
  const firstParam = route.indexOf("{")
  const base = (firstParam < 0 ? route : route.slice(0, firstParam)).replace(/\/$/, "")
  const suffix = firstParam < 0 ? "" : route.slice(route.lastIndexOf("}") + 1)
  const pattern = new RegExp(
    `${escape(base)}(?![\\w-])` + (suffix === "" ? "" : `.*${escape(suffix)}(?![\\w-])`)
  )
  return readme.split("\n").some((line) => pattern.test(line))
}

describe("the README's API", () => {
  it("names every route of the API definition", () => {
    const routes = Object.keys(OpenApi.fromApi(SyncApi).paths)
    expect(routes.length).toBeGreaterThan(30)
    expect(routes.filter((route) => !documented(route))).toEqual([])
  })
})
