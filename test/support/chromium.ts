import { execFile } from "node:child_process"
import { access, constants } from "node:fs/promises"

/** Debian's Chromium, driven by playwright-core (which never downloads a browser of its own). */
export const CHROMIUM_PATH = "/usr/bin/chromium"

/** Flags that let Chromium run as root on a machine with a closed network (.library/env node.md). */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

export type ChromiumStatus =
  | { readonly available: true; readonly executablePath: string }
  | { readonly available: false; readonly reason: string }

const exists = (file: string) => access(file, constants.X_OK).then(() => true, () => false)

const run = (command: string, args: ReadonlyArray<string>) =>
  new Promise<void>((resolve, reject) =>
    execFile(
      command,
      args,
      { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) =>
        error === null ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed: ${stderr.slice(-2000)}`))
    )
  )

// Waits for another apt run (a second test run, an engineer's install) instead of failing at once.
const apt = (...args: ReadonlyArray<string>) => run("apt-get", ["-o", "DPkg::Lock::Timeout=600", ...args])

let installing: Promise<ChromiumStatus> | undefined

/**
 * Chromium at /usr/bin/chromium, installed with apt-get the first time when it is missing and the
 * process is root (a fresh CI machine). Unavailable, with the reason, only when installing cannot
 * work here: not root, no apt-get, or apt-get failing.
 */
export const ensureChromium = (): Promise<ChromiumStatus> => {
  installing ??= (async (): Promise<ChromiumStatus> => {
    if (await exists(CHROMIUM_PATH)) return { available: true, executablePath: CHROMIUM_PATH }
    if (process.getuid?.() !== 0) {
      return {
        available: false,
        reason: `${CHROMIUM_PATH} is missing and this process is not root: run \`apt-get install -y chromium\` as root`
      }
    }
    if (!(await exists("/usr/bin/apt-get"))) {
      return { available: false, reason: `${CHROMIUM_PATH} is missing and there is no apt-get to install it` }
    }
    try {
      // The package lists of a fresh machine may be empty or stale: update first.
      await apt("update")
      await apt("install", "-y", "chromium")
    } catch (error) {
      return {
        available: false,
        reason: `installing Chromium failed: ${error instanceof Error ? error.message : String(error)}`
      }
    }
    return (await exists(CHROMIUM_PATH))
      ? { available: true, executablePath: CHROMIUM_PATH }
      : { available: false, reason: `apt-get installed chromium but ${CHROMIUM_PATH} is still missing` }
  })()
  return installing
}
