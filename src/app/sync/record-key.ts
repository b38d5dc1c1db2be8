import type { SyncJob } from "../../ports/sync-job-queue.js"

/** Which record a job is about: jobs of one record run in claim order, one after another. */
export const recordKey = (job: SyncJob) =>
  job.direction === "outbound"
    ? `out:${job.platform}:${job.entityType}:${job.entityId}`
    : `in:${job.platform}:${job.event?.externalId ?? job.id}`
