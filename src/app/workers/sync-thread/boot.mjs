// Run from the TypeScript sources only (tests, tsx): a worker thread starts without the loader of
// its parent, so it registers its own. The compiled service starts thread.js directly (host.ts).
import { register } from "tsx/esm/api"

register()
await import("./thread.ts")
