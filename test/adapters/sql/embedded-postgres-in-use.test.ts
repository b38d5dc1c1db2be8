import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as path from "node:path"
import { embeddedPostgres } from "../../../src/adapters/sql/embedded-postgres.js"
import { postmasterPid } from "../../faults/support/npm-start.js"
import { query, tempRoot } from "../../support/embedded-cluster.js"

const postmasterOf = (rootDir: string) => Effect.promise(() => postmasterPid(path.join(rootDir, "pgdata")))

// A second start on a data folder whose service still runs used to stop that service's cluster as
// if it were an orphan, leaving the running service without its database.
describe("an embedded cluster whose service still runs", () => {
  it.live(
    "is not stopped by a second start on its folder: that start is refused, naming the process using it",
    () =>
      Effect.gen(function*() {
        const rootDir = yield* tempRoot("alloresto-in-use-")
        const running = yield* embeddedPostgres({ rootDir })
        const before = yield* postmasterOf(rootDir)

        const refused = yield* Effect.flip(Effect.scoped(embeddedPostgres({ rootDir })))

        assert.strictEqual(refused._tag, "EmbeddedPostgresError")
        assert.include(refused.message, `is in use by another running process of the service (pid ${process.pid})`)
        assert.include(refused.remedy ?? "", "DATA_DIR")
        assert.strictEqual(yield* postmasterOf(rootDir), before)
        assert.deepStrictEqual(yield* query(running.serviceUrl, "SELECT 1 AS up"), [{ up: 1 }])
      }).pipe(Effect.scoped),
    { timeout: 120_000 }
  )
})
