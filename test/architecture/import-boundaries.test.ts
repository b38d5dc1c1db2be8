import { describe, expect, it } from "@effect/vitest"
import { ESLint } from "eslint"
import { join } from "node:path"

const root = join(import.meta.dirname, "../..")
const eslint = new ESLint({ cwd: root })

/** The import-boundary messages ESLint reports for `source` as if it stood at `file`. */
const boundaryViolations = async (file: string, source: string) => {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) })
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message)
}

const importing = (specifier: string) => `import { x } from "${specifier}"\nexport const y = x\n`

describe("every import arrow points inward (STYLE.md)", () => {
  it("no file under src/ breaks an import boundary", async () => {
    const results = await eslint.lintFiles(["src/**/*.ts"])
    const broken = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === "no-restricted-imports")
        .map((m) => `${r.filePath.slice(root.length + 1)}:${m.line} ${m.message}`)
    )
    expect(results.length).toBeGreaterThan(100)
    expect(broken).toEqual([])
  }, 120_000)

  it.each([
    ["src/app/sync/engine.ts", "../../adapters/sql/database.js"],
    ["src/app/sync/engine.ts", "../http/errors.js"],
    ["src/app/services/rooms.ts", "../../adapters/platforms/registry.js"],
    ["src/app/services/rooms.ts", "../http/api.js"],
    ["src/app/http/handlers/rooms.ts", "../../../adapters/sql/ops-summary.js"],
    ["src/domain/rules.ts", "../ports/mapping-repository.js"],
    ["src/domain/rules.ts", "@effect/sql/SqlClient"],
    ["src/ports/thing.ts", "../adapters/memory/entity-repository.js"],
    ["src/adapters/platforms/thefork/mapper.ts", "../zenchef/mapper.js"],
    ["src/adapters/sql/thing.ts", "../../app/config.js"],
    ["src/simulators/zenchef/wire.ts", "../../adapters/platforms/zenchef/types.js"],
    // An index module loads the whole package into each thread (Scalar's page included).
    ["src/app/workers/worker.ts", "@effect/platform"],
    ["src/adapters/sql/thing.ts", "@effect/sql-pg"]
  ])("refuses %s importing %s", async (file, specifier) => {
    expect(await boundaryViolations(file, importing(specifier))).toHaveLength(1)
  })

  it.each([
    ["src/app/sync/engine.ts", "../../ports/mapping-repository.js"],
    ["src/app/http/handlers/rooms.ts", "../../services/local-changes.js"],
    ["src/app/main.ts", "../adapters/sql/database.js"],
    ["src/adapters/platforms/thefork/mapper.ts", "../shared/guest-text.js"],
    ["src/app/http/server.ts", "@effect/platform/HttpApiBuilder"]
  ])("allows %s importing %s", async (file, specifier) => {
    expect(await boundaryViolations(file, importing(specifier))).toEqual([])
  })
})
