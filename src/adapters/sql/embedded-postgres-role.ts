import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import pg from "pg"
import { tryPromise } from "./embedded-postgres-error.js"

/** The role the service connects as: it owns the schema it migrates, and nothing else. */
export const serviceRole = "alloresto_sync"

const readOrCreatePassword = (file: string) =>
  tryPromise("preparing the service role's password", async () => {
    const existing = await fs.readFile(file, "utf8").then((s) => s.trim(), () => "")
    if (existing !== "") return existing
    const password = randomBytes(24).toString("hex")
    await fs.writeFile(file, password, { mode: 0o600 })
    return password
  })

const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`

// Idempotent at every start: the role exists with the stored password and no privilege beyond
// logging in, and owns the public schema and everything in it. A cluster made before the role
// existed (tables owned by the superuser) is handed over the same way, its data untouched.
const grantStatements = (password: string) => [
  `DO $$ BEGIN
     IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${serviceRole}') THEN
       CREATE ROLE ${serviceRole} LOGIN;
     END IF;
   END $$`,
  `ALTER ROLE ${serviceRole} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${
    quoteLiteral(password)
  }`,
  `ALTER SCHEMA public OWNER TO ${serviceRole}`,
  `DO $$ DECLARE r record; BEGIN
     FOR r IN
       SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
         AND pg_get_userbyid(c.relowner) <> '${serviceRole}'
         AND NOT (c.relkind = 'S' AND EXISTS (
           SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
     LOOP
       EXECUTE format('ALTER %s public.%I OWNER TO ${serviceRole}',
         CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
           WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.relname);
     END LOOP;
     FOR r IN
       SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '${serviceRole}'
     LOOP
       EXECUTE format('ALTER ROUTINE %s OWNER TO ${serviceRole}', r.signature);
     END LOOP;
   END $$`
]

/**
 * Least privilege (issue #18): the superuser only prepares the service's role; the service itself
 * connects as that role. Returns the role's URL for the same database.
 */
export const prepareServiceRole = (options: {
  readonly superuserUrl: string
  readonly passwordFile: string
  readonly port: number
}) =>
  Effect.gen(function*() {
    const password = yield* readOrCreatePassword(options.passwordFile)
    yield* tryPromise("preparing the service role", async () => {
      const client = new pg.Client({ connectionString: options.superuserUrl })
      await client.connect()
      try {
        for (const statement of grantStatements(password)) await client.query(statement)
      } finally {
        await client.end()
      }
    })
    return `postgres://${serviceRole}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`
  })
