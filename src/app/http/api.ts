import { HttpApi, OpenApi } from "@effect/platform"
import { HealthApi } from "./health.js"

/** The whole HTTP contract; handlers live beside each group, wired in `server.ts`. */
export class SyncApi extends HttpApi.make("alloresto-sync")
  .add(HealthApi)
  .annotateContext(
    OpenApi.annotations({
      title: "AlloResto Sync",
      description: "Keeps AlloResto and restaurant platforms (Zenchef, TheFork, SevenRooms, Uber Eats, Deliveroo) in agreement."
    })
  ) {}
