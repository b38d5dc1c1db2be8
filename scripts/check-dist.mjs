// `npm start` runs the compiled dist/ (its `prestart`): say so plainly when dist/ is missing (a
// clone installed with `--ignore-scripts`) or older than src/ (a pull or an edit since the last
// build), instead of a module-not-found stack or a start that silently runs the previous code.
// The folder to check may be given, for the tests; it defaults to this checkout.
import { existsSync, readdirSync, statSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = process.argv[2] ?? fileURLToPath(new URL("..", import.meta.url))
const main = path.join(root, "dist", "app", "main.js")

const say = (level, message) => console.error(JSON.stringify({ timestamp: new Date().toISOString(), level, message }))

const newestUnder = (dir) => {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

if (!existsSync(main)) {
  say("ERROR", "dist/ is not built: run `npm run build` (`npm ci` runs it, unless its scripts were skipped)")
  process.exit(1)
}
// An installed package ships dist/ alone: nothing to compare with.
const src = path.join(root, "src")
if (existsSync(src) && newestUnder(src) > statSync(main).mtimeMs) {
  say("WARN", "src/ changed since dist/ was built: this start runs the previous build; run `npm run build`")
}
