import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { SyncApi } from "./api.js"

/**
 * The Swagger page at /docs, built when asked for. `HttpApiSwagger` carries Swagger UI's whole
 * bundle as a string and its layer renders the page when the server starts: about 7 MB of the
 * HTTP thread's heap for a page an operator opens now and then. Here the module is loaded on the
 * first request and the page rendered for each one, by the same `HttpApiSwagger` code.
 */
export const DocsPageLive = HttpApiBuilder.Router.use((router) =>
  router.get(
    "/docs",
    Effect.scoped(Effect.gen(function*() {
      const [swagger, layerRouter] = yield* Effect.promise(() =>
        Promise.all([import("@effect/platform/HttpApiSwagger"), import("@effect/platform/HttpLayerRouter")])
      )
      const page = yield* layerRouter.toHttpEffect(swagger.layerHttpLayerRouter({ api: SyncApi, path: "/docs" }))
      return yield* page
    }))
  )
)
