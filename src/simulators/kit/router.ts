/**
 * A tiny path-template router (`/{restaurantUid}/booking/{uid}`). Literal segments win over
 * parameters, left to right, so `/booking/checkin/{uid}` beats `/booking/{from}/{days}`.
 */
export interface Route<H> {
  readonly method: string
  /** The template, used as the route's name in counters. */
  readonly template: string
  readonly handler: H
}

export interface RouteMatch<H> {
  readonly route: Route<H>
  readonly params: Readonly<Record<string, string>>
}

export type RouteLookup<H> =
  | { readonly _tag: "Found"; readonly match: RouteMatch<H> }
  | { readonly _tag: "MethodNotAllowed"; readonly template: string }
  | { readonly _tag: "NotFound" }

const segmentsOf = (path: string) => path.split("/").filter((segment) => segment.length > 0)

const decodeSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

const isParam = (segment: string) => segment.startsWith("{") && segment.endsWith("}")

const matchTemplate = (template: ReadonlyArray<string>, segments: ReadonlyArray<string>) => {
  if (template.length !== segments.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, part] of template.entries()) {
    const segment = segments[i] ?? ""
    if (isParam(part)) params[part.slice(1, -1)] = decodeSegment(segment)
    else if (part !== segment) return undefined
  }
  return params
}

/** Compares literal/param patterns left to right; a literal earlier makes a route more specific. */
const specificity = (template: ReadonlyArray<string>) => template.map((part) => (isParam(part) ? "1" : "0")).join("")

export const route = <H>(method: string, template: string, handler: H): Route<H> => ({ method, template, handler })

export const makeRouter = <H>(routes: ReadonlyArray<Route<H>>) => {
  const compiled = routes
    .map((r) => ({ route: r, parts: segmentsOf(r.template) }))
    .sort((a, b) => specificity(a.parts).localeCompare(specificity(b.parts)))
  return (method: string, path: string): RouteLookup<H> => {
    const segments = segmentsOf(path)
    let sameTemplateOtherMethod: string | undefined
    for (const candidate of compiled) {
      const params = matchTemplate(candidate.parts, segments)
      if (params === undefined) continue
      if (candidate.route.method === method) return { _tag: "Found", match: { route: candidate.route, params } }
      sameTemplateOtherMethod ??= candidate.route.template
    }
    return sameTemplateOtherMethod === undefined
      ? { _tag: "NotFound" }
      : { _tag: "MethodNotAllowed", template: sameTemplateOtherMethod }
  }
}

/** Whether `path` is `base` or below it. */
export const isUnder = (path: string, base: string) => path === base || path.startsWith(`${base}/`)
