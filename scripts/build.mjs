// Compiles src/ to dist/ (JavaScript and declarations, tsconfig.build.json) and copies what tsc
// does not emit: the operator page's assets, read from beside the compiled routes at run time.
// `npm ci` runs it (the `prepare` script), so a clone needs no other set-up step.
//
// `--allow-type-errors`: the test run builds from a working tree that may not type-check yet;
// tsc still emits every file then, and `npm test` reports the errors in its own type-check step.
import { spawnSync } from "node:child_process"
import { cpSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const allowTypeErrors = process.argv.includes("--allow-type-errors")

// From an empty dist/: what an older checkout left there (the module of a source since removed, an
// incremental build's state) would otherwise be shipped, or misread by tsc.
rmSync(`${root}/dist`, { recursive: true, force: true })
const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" })
// tsc exits 2 when it reported errors but still wrote its output, 1 when it wrote nothing.
const emitted = run.status === 0 || (allowTypeErrors && run.status === 2)
if (!emitted) process.exit(run.status ?? 1)
cpSync(`${root}/src/app/http/ops/assets`, `${root}/dist/app/http/ops/assets`, { recursive: true })
