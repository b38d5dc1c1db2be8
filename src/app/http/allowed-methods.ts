import * as HttpApi from "@effect/platform/HttpApi"
import { SyncApi } from "./api.js"

interface Route {
  readonly method: string
  readonly segments: ReadonlyArray<string>
}

const routes: ReadonlyArray<Route> = (() => {
  const found: Array<Route> = []
  HttpApi.reflect(SyncApi, {
    onGroup: () => undefined,
    onEndpoint: ({ endpoint }) => found.push({ method: endpoint.method, segments: endpoint.path.split("/") })
  })
  return found
})()

const matches = (route: Route, segments: ReadonlyArray<string>) =>
  route.segments.length === segments.length &&
  route.segments.every((segment, i) => segment.startsWith(":") ? segments[i] !== "" : segment === segments[i])

/**
 * The methods the API answers at a path (the query left out), none when no route has that path:
 * a request with another method is told what it may do there (405 and `Allow`), not that nothing
 * is there.
 */
export const allowedMethods = (path: string): ReadonlyArray<string> => {
  const segments = path.split("/")
  return [...new Set(routes.filter((route) => matches(route, segments)).map((route) => route.method))]
}

/** The router's limit on a path parameter's length (find-my-way's `maxParamLength`, at its default). */
export const maxPathParameterLength = 100

/**
 * The parameters of a route taking `method` at `path` that the router refused for their length:
 * such a path is not found by it, though the route is there, and the request is wrong in that
 * parameter (no id of the API is that long), not in its method.
 */
export const overlongParameters = (method: string, path: string): ReadonlyArray<string> => {
  const segments = path.split("/")
  const route = routes.find((candidate) => candidate.method === method && matches(candidate, segments))
  if (route === undefined) return []
  return route.segments.flatMap((segment, i) =>
    segment.startsWith(":") && segments[i]!.length > maxPathParameterLength ? [segment.slice(1)] : []
  )
}
