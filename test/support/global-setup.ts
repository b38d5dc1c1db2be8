import { Effect, Exit, Scope } from "effect"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import type {} from "vitest"
import type { TestProject } from "vitest/node"
import { embeddedPostgres } from "../../src/adapters/sql/embedded-postgres.js"
import { buildDist } from "./build.js"

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string
  }
}

// One real PostgreSQL for the whole run; each test file creates its own database on it.
export default async function setup(project: TestProject) {
  // The tests that start the service run the compiled dist/, built meanwhile from the sources.
  const built = buildDist()
  const rootDir = await fs.mkdtemp(path.join(os.tmpdir(), "alloresto-sync-test-"))
  await fs.chmod(rootDir, 0o755)
  const scope = Effect.runSync(Scope.make())
  const pg = await Effect.runPromise(embeddedPostgres({ rootDir }).pipe(Scope.extend(scope)))
  project.provide("pgUrl", pg.url)
  await built
  return async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await fs.rm(rootDir, { recursive: true, force: true })
  }
}
