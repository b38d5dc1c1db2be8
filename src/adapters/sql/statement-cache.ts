import type pg from "pg"

type Callback = (error: Error | null, result?: unknown) => void
type Query = (...args: Array<unknown>) => unknown

/** PostgreSQL's answer when a prepared statement's result columns changed under it (a migration). */
const isStalePlan = (error: Error | null) =>
  error !== null && (error as { readonly code?: string }).code === "0A000" &&
  error.message.includes("cached plan must not change result type")

/**
 * Begins a statement that must be planned on every run, for the rows its tables hold now. A
 * prepared statement's plan may be made once for all its runs, from the table's size at the time:
 * a job claim first prepared on an empty queue went on scanning the whole queue once per candidate
 * job (100 ms and more per claim, quadratic in the backlog) when thousands of jobs then arrived,
 * until an autoanalyze, up to a minute later, made PostgreSQL plan it again.
 */
export const plannedEachRun = "/* planned each run */"

/**
 * node-postgres sends each parameterised statement unnamed, and PostgreSQL parses, analyses and
 * plans it again on every execution. For the service's larger statements that is most of their
 * cost: a reservation create (the row, its change-log entry and its outbox jobs in one `WITH`)
 * takes about 1.4 ms unnamed against 0.5 ms prepared. This names each parameterised statement the
 * first time a connection runs its text, so later runs skip straight to execution, as pgJDBC's and
 * postgres.js's statement caches do. Each connection keeps its `capacity` most recently used
 * statements and deallocates the one it drops; names are never reused. Statements without
 * parameters (BEGIN, COMMIT, migrations) go on unnamed, on the simple protocol, as before, and so
 * do those that begin with `plannedEachRun`.
 */
export const cacheStatements = (pool: pg.Pool, capacity: number): void => {
  if (capacity <= 0) return
  let nextName = 0
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as Query
    const names = new Map<string, string>()

    const nameOf = (text: string) => {
      const known = names.get(text)
      if (known !== undefined) {
        // Most recently used last: a Map keeps insertion order.
        names.delete(text)
        names.set(text, known)
        return known
      }
      const name = `alloresto_${(nextName++).toString(36)}`
      names.set(text, name)
      if (names.size > capacity) {
        const [oldText, oldName] = names.entries().next().value as [string, string]
        names.delete(oldText)
        query(`DEALLOCATE ${oldName}`, () => {})
      }
      return name
    }
    ;(client as unknown as { query: Query }).query = (...args: Array<unknown>) => {
      const [text, values, callback] = args
      if (
        typeof text !== "string" || !Array.isArray(values) || values.length === 0 || typeof callback !== "function" ||
        text.startsWith(plannedEachRun)
      ) {
        return query(...args)
      }
      const name = nameOf(text)
      return query({ name, text, values }, (error: Error | null, result?: unknown) => {
        // Prepared again under a new name the next time; this run's caller sees the error.
        if (isStalePlan(error) && names.get(text) === name) names.delete(text)
        ;(callback as Callback)(error, result)
      })
    }
  })
}
