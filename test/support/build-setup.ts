import { buildDist } from "./build.js"

// The fault suite starts the service with `npm start`, which runs the compiled dist/.
export default async function setup() {
  await buildDist()
}
