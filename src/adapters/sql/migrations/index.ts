import * as Migrator from "@effect/sql/Migrator"
import entities from "./0001_entities.js"
import sync from "./0002_sync.js"
import jobClaims from "./0003_job_claims.js"
import runningJobsByEntity from "./0004_running_jobs_by_entity.js"
import hardening from "./0005_hardening.js"
import apiKeys from "./0006_api_keys.js"
import changeFeed from "./0008_change_feed.js"
import jobFencing from "./0009_job_fencing.js"
import restaurantSettings from "./0011_restaurant_settings.js"
import jobTraceParent from "./0012_job_trace_parent.js"
import adminAudit from "./0013_admin_audit.js"
import mappingsFollowDeletes from "./0014_mappings_follow_deletes.js"
import rateBucketsUnlogged from "./0015_rate_buckets_unlogged.js"
import moneyFourDecimals from "./0016_money_four_decimals.js"
import customerPhoneDigits from "./0017_customer_phone_digits.js"

/** numbered migrations, applied at start-up in order. */
export const migrations = Migrator.fromRecord({
  "0001_entities": entities,
  "0002_sync": sync,
  "0003_job_claims": jobClaims,
  "0004_running_jobs_by_entity": runningJobsByEntity,
  "0005_hardening": hardening,
  "0006_api_keys": apiKeys,
  "0008_change_feed": changeFeed,
  "0009_job_fencing": jobFencing,
  "0011_restaurant_settings": restaurantSettings,
  "0012_job_trace_parent": jobTraceParent,
  "0013_admin_audit": adminAudit,
  "0014_mappings_follow_deletes": mappingsFollowDeletes,
  "0015_rate_buckets_unlogged": rateBucketsUnlogged,
  "0016_money_four_decimals": moneyFourDecimals,
  "0017_customer_phone_digits": customerPhoneDigits
})
