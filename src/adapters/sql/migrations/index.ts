import { Migrator } from "@effect/sql"
import entities from "./0001_entities.js"
import sync from "./0002_sync.js"
import jobClaims from "./0003_job_claims.js"
import runningJobsByEntity from "./0004_running_jobs_by_entity.js"

/** numbered migrations, applied at start-up in order. */
export const migrations = Migrator.fromRecord({
  "0001_entities": entities,
  "0002_sync": sync,
  "0003_job_claims": jobClaims,
  "0004_running_jobs_by_entity": runningJobsByEntity
})
