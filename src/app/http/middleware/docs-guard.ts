import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect } from "effect"
import { Gate, guarded } from "./authentication.js"

/** The API's description is for operators (issue 17): it names every route an attacker could try. */
const isDocumentation = (url: string) => {
  const path = url.split("?", 1)[0] ?? ""
  return path === "/openapi.json" || path === "/docs" || path.startsWith("/docs/")
}

/**
 * /docs and /openapi.json are routes of the HttpApi builder's own, outside the groups and their
 * middleware: this API-level middleware asks them for an operator key.
 */
export const DocsGuardLive = HttpApiBuilder.middleware(
  Effect.map(
    Gate,
    (gate) => (app) =>
      Effect.flatMap(
        HttpServerRequest.HttpServerRequest,
        (request) => isDocumentation(request.url) ? guarded(gate, "operator", () => app) : app
      )
  )
)
