import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

const domain = join(import.meta.dirname, "../../src/domain")

const filesUnder = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
  )

/** Static imports, re-exports, side-effect imports and dynamic import() calls. */
const specifiers = (source: string): Array<string> =>
  [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((m) => m[1]!)

const allowed = (specifier: string) => /^effect(\/[\w-]+)*$/.test(specifier) || /^\.\/[\w.-]+\.js$/.test(specifier)

describe("src/domain is pure (R-1.2)", () => {
  const files = filesUnder(domain).filter((file) => file.endsWith(".ts"))

  it("finds the domain modules and their imports", () => {
    expect(files.length).toBeGreaterThan(5)
    expect(files.flatMap((file) => specifiers(readFileSync(file, "utf8")))).toContain("effect")
  })

  it.each(files.map((file) => ({ file: file.slice(domain.length + 1), path: file })))(
    "$file imports only effect and sibling domain modules",
    ({ path }) => {
      expect(specifiers(readFileSync(path, "utf8")).filter((s) => !allowed(s))).toEqual([])
    }
  )

  it("recognises the imports it must reject", () => {
    const bad =
      `import { readFileSync } from "node:fs"\nimport type { SqlClient } from "@effect/sql"\nexport * from "../ports/x.js"\nconst m = await import("pg")`
    expect(specifiers(bad).filter((s) => !allowed(s))).toEqual(["node:fs", "@effect/sql", "../ports/x.js", "pg"])
  })
})
