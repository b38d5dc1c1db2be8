import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"

/** Issue 17: the operator page's session, an HttpOnly, SameSite=Strict cookie holding a random id. */
export const sessionCookie = "ars_ops_session"

/** The cookie as an OpenAPI security scheme, beside the bearer key. */
export const sessionSecurity = HttpApiSecurity.apiKey({ key: sessionCookie, in: "cookie" })

export const carriesSession = (request: HttpServerRequest.HttpServerRequest) =>
  (request.cookies[sessionCookie] ?? "") !== ""

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"])

/**
 * CSRF (issue 17): a browser attaches the cookie to any request to this host, a foreign form's
 * included; it also names the page that sent a state-changing request in `Origin`. Such a request
 * with the cookie must come from this very host. A proxy's `X-Forwarded-Host` counts as the host,
 * since a cross-site page cannot set that header.
 */
export const crossSiteWithSession = (request: HttpServerRequest.HttpServerRequest): boolean =>
  !safeMethods.has(request.method) && carriesSession(request) && !fromThisSite(request)

/** Whether the request names this host as its `Origin` (a missing or `null` Origin does not). */
export const fromThisSite = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const origin = request.headers.origin ?? ""
  const host = request.headers["x-forwarded-host"] ?? request.headers.host ?? ""
  if (origin === "" || host === "") return false
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}
