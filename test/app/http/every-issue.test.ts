import * as HttpApi from "@effect/platform/HttpApi"
import { Option, SchemaAST } from "effect"
import { describe, expect, it } from "vitest"
import { SyncApi } from "../../../src/app/http/api.js"

describe("every issue of a request at once", () => {
  it("holds for each payload and query of the API definition, routes added later included, unknown fields among the issues", () => {
    const decoded: Array<string> = []
    const firstOnly: Array<string> = []
    HttpApi.reflect(SyncApi, {
      onGroup: () => undefined,
      onEndpoint: ({ endpoint }) => {
        for (
          const [part, schema] of [["payload", endpoint.payloadSchema], ["query", endpoint.urlParamsSchema]] as const
        ) {
          if (Option.isNone(schema)) continue
          const name = `${endpoint.method} ${endpoint.path} ${part}`
          const options = SchemaAST.getParseOptionsAnnotation(schema.value.ast)
          const strict = Option.isSome(options) && options.value.errors === "all" &&
            options.value.onExcessProperty === "error"
          ;(strict ? decoded : firstOnly).push(name)
        }
      }
    })
    expect(firstOnly).toEqual([])
    expect(decoded).toContain("POST /api/reservations payload")
    expect(decoded).toContain("GET /api/sync/logs query")
  })
})
