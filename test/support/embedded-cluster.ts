import { Effect } from "effect"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import pg from "pg"

/** One statement on a connection of its own; a refusal fails with the server's message. */
export const query = (url: string, text: string) =>
  Effect.acquireUseRelease(
    Effect.promise(async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      return client
    }),
    (client) =>
      Effect.tryPromise({
        try: () => client.query(text).then((r) => r.rows as Array<Record<string, unknown>>),
        catch: (e) => (e as Error).message
      }),
    (client) => Effect.promise(() => client.end())
  )

/** A folder for an embedded cluster of the test's own, removed with the scope. */
export const tempRoot = (prefix: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix))
      // The cluster may run as another user when the tests run as root.
      await fs.chmod(dir, 0o755)
      return dir
    }),
    (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
  )
