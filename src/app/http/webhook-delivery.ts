import { Schema } from "effect"
import type { InboundRequest } from "../../ports/webhook-authenticator.js"
import { NotFound, Unauthorized, ValidationError } from "../errors.js"
import type { DeliveryRejected } from "../sync/webhook-intake.js"

// What both ways into webhook intake share: the HttpApi route and the ingress below it.

/** What a rejected delivery answers: the errors the API definition declares for the route. */
export const HttpRejection = Schema.Union(Unauthorized, NotFound, ValidationError)

export const toHttpError = (e: DeliveryRejected, platform: string): Unauthorized | NotFound | ValidationError =>
  e.status === 401
    ? new Unauthorized({ message: e.message })
    : e.status === 404
    ? new NotFound({ message: e.message, resource: "platform", id: platform })
    : new ValidationError({ message: e.message, issues: [] })

type Headers = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** A delivery as connectors read it: lower-case header names with one value each, and the query. */
export const inboundRequest = (headers: Headers, url: string, rawBody: string): InboundRequest => {
  const single: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) single[name.toLowerCase()] = typeof value === "string" ? value : value.join(", ")
  }
  const at = url.indexOf("?")
  const query = at < 0 ? {} : Object.fromEntries(new URLSearchParams(url.slice(at + 1)))
  return { headers: single, query, rawBody }
}
