import * as fs from "node:fs"
import * as path from "node:path"

/** The README as a newcomer reads it: tests check that what it states is what the code does. */
export const readme = fs.readFileSync(path.resolve(import.meta.dirname, "..", "..", "README.md"), "utf8")
