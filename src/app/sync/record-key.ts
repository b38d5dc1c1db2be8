import type { SyncJob } from "../../ports/sync-job-queue.js"

/** Which record a job is about: jobs of one record run in claim order, one after another. */
export const recordKey = (job: SyncJob) =>
  job.direction === "outbound"
    ? `out:${job.platform}:${job.entityType}:${job.entityId}`
    : `in:${job.platform}:${job.event?.externalId ?? job.id}`

/** The jobs of each record, in claim order; records in the order their first job was claimed. */
export const groupByRecord = (jobs: ReadonlyArray<SyncJob>): ReadonlyArray<ReadonlyArray<SyncJob>> => {
  const groups = new Map<string, Array<SyncJob>>()
  for (const job of jobs) {
    const key = recordKey(job)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [job])
    else group.push(job)
  }
  return [...groups.values()]
}
