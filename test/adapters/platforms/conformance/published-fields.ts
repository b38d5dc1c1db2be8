import { readFileSync } from "node:fs"
import { assert } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"

/**
 * Published example payloads (test/fixtures/<platform>/, each with a note naming its source),
 * checked against our wire Schemas: a field we rely on that the Schema does not declare is
 * dropped by decoding, so the comparison below names it.
 */
export const fixtureText = (platform: string, name: string) =>
  readFileSync(new URL(`../../../fixtures/${platform}/${name}`, import.meta.url), "utf8")

export const fixtureJson = (platform: string, name: string): unknown => JSON.parse(fixtureText(platform, name))

/** The values at `path` (dot-separated; `*` walks every element of an array). */
export const valuesAt = (value: unknown, path: string): ReadonlyArray<unknown> =>
  path.split(".").reduce<ReadonlyArray<unknown>>((found, key) =>
    found.flatMap((v) =>
      key === "*"
        ? (Array.isArray(v) ? v : [])
        : typeof v === "object" && v !== null && key in v ? [(v as Record<string, unknown>)[key]] : []
    ), [value])

/**
 * Decodes `published` with `schema` and asserts that every path of `relied` is present in the
 * example and comes out of decoding unchanged.
 */
export const assertKeepsPublishedPaths = <A, I>(schema: Schema.Schema<A, I>, published: unknown, relied: ReadonlyArray<string>) => {
  const decoded = Schema.decodeUnknownEither(schema)(published)
  if (Either.isLeft(decoded)) return assert.fail(`the published example does not decode: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`)
  for (const path of relied) {
    const expected = valuesAt(published, path)
    assert.isAbove(expected.length, 0, `the published example has no ${path}`)
    assert.deepStrictEqual(valuesAt(decoded.right, path), expected, `our Schema loses the published field ${path}`)
  }
}
