import { exec } from "../../../bench/lib/postgres.js"
import { sleep } from "../../../bench/lib/service.js"
import type { SignedWebhook } from "../../../bench/lib/webhooks.js"

export interface Delivery {
  readonly acknowledged: boolean
  readonly attempts: number
  readonly statuses: ReadonlyArray<number | "network">
}

/** Sends one webhook as a platform does: again, same id, until a 2xx or `maxAttempts`. */
export const deliver = async (
  serviceUrl: string,
  webhook: SignedWebhook,
  maxAttempts = 1,
  spacingMs = 250
): Promise<Delivery> => {
  const statuses: Array<number | "network"> = []
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const status = await fetch(`${serviceUrl}/api/webhooks/zenchef`, {
      method: "POST",
      headers: webhook.headers,
      body: webhook.body,
      signal: AbortSignal.timeout(10_000)
    })
      .then(async (r) => {
        await r.arrayBuffer()
        return r.status
      }, () => "network" as const)
    statuses.push(status)
    if (typeof status === "number" && status >= 200 && status < 300) {
      return { acknowledged: true, attempts: attempt, statuses }
    }
    if (attempt < maxAttempts) await sleep(spacingMs)
  }
  return { acknowledged: false, attempts: maxAttempts, statuses }
}

/**
 * Exactly-once accounting of inbound bookings: each must be one reservation, linked by one mapping.
 * A booking applied twice would show as a second reservation of the same guest (their phone).
 */
export const inboundTally = async (databaseUrl: string, bookingUids: ReadonlyArray<string>) => {
  const { rows } = await exec<{ mapped: string; reservations: string }>(
    databaseUrl,
    `
    SELECT count(DISTINCT m.external_id) AS mapped, count(DISTINCT r.id) AS reservations
    FROM sync_external_mappings m JOIN reservations r ON r.id::text = m.entity_id
    WHERE m.entity_type = 'reservation' AND m.platform = 'zenchef' AND m.external_id = ANY($1)`,
    [bookingUids]
  )
  const phones = await exec<{ extra: string }>(
    databaseUrl,
    `
    SELECT coalesce(sum(n - 1), 0) AS extra FROM (
      SELECT count(*) AS n FROM reservations WHERE source = 'zenchef' GROUP BY restaurant_id, customer_phone, reservation_time) g`
  )
  const applied = Number(rows[0]!.mapped)
  return {
    sent: bookingUids.length,
    applied,
    duplicated: Number(phones.rows[0]!.extra),
    lost: bookingUids.length - applied
  }
}
