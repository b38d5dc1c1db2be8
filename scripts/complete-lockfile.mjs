// npm records an optional, platform-specific dependency (esbuild, rollup, msgpackr builds for
// other systems) in package-lock.json only when the registry serves that exact version. When it
// does not, `npm ci` rejects the lockfile as out of sync. This adds the missing entries, marked
// optional and restricted to their os/cpu, so `npm ci` skips them on this system as it should.
// Run after any `npm install` that changes dependencies.
import { readFileSync, writeFileSync } from "node:fs"

const file = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(file, "utf8"))
const packages = lock.packages
const systems = /(darwin|linux|win32|android|freebsd|openbsd|netbsd|sunos|aix)/
const cpus = /(arm64|x64|arm|ia32|riscv64|ppc64|s390x|loong64|wasm32)/
let added = 0
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = path ? `${path}/node_modules/${name}` : `node_modules/${name}`
    const top = `node_modules/${name}`
    if (packages[nested] || packages[top]) continue
    const leaf = name.split("/").pop()
    const os = leaf.match(systems)?.[1]
    const cpu = leaf.replace(os ?? "\0", "").match(cpus)?.[1]
    packages[top] = { version, optional: true, ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}) }
    added++
  }
}
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n")
console.log(`complete-lockfile: ${added} optional platform entries added`)
