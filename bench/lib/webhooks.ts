import { randomBytes } from "node:crypto"
import { standardWebhookSignature } from "../../src/simulators/kit/webhook-signing.js"

/** A restaurant as the webhook sender knows it: its Zenchef uid and the secret shared with the service. */
export interface WebhookRestaurant {
  readonly restaurantUid: string
  readonly secret: string
}

export type BookingEventName = "booking.created" | "booking.changed"

export interface SignedWebhook {
  readonly id: string
  readonly body: string
  readonly headers: Record<string, string>
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** A table as the simulator's wire format has it; ids 1-10 are mapped to local tables by the world. */
const table = (id: number) => ({ id, posId: null, name: `T${id}`, minPeople: 1, maxPeople: 4, areaId: 1 })

/**
 * A Zenchef webhook body shaped like the simulator's (envelope + full booking), about 1 KB:
 * a guest of their own (phone, e-mail) so each booking makes its own customer, as at a real service.
 */
export const bookingEnvelope = (input: {
  readonly restaurantUid: string
  readonly uid: string
  readonly eventId: string
  readonly event: BookingEventName
  readonly guest: number
  readonly tables: number
  readonly revision: number
  /** When the change happened; now unless told (fault tests stamp two events alike). */
  readonly occurredAt?: string
}) => {
  const day = 1 + (input.guest % 28)
  const people = 2 + ((input.guest + input.revision) % 6)
  return JSON.stringify({
    event: input.event,
    eventId: input.eventId,
    occurredAt: input.occurredAt ?? new Date().toISOString(),
    restaurantUid: input.restaurantUid,
    settings: { serverSettings: { companyIdentifier: "SIM-1" } },
    booking: {
      uid: input.uid,
      created: "2030-05-01T10:00:00",
      bookingDateTime: `2030-06-${pad(day)}T${pad(19 + (input.guest % 3))}:30:00`,
      bookingDuration: 120,
      checkInDateTime: null,
      checkOutDateTime: null,
      numberOfPeople: people,
      title: "NONE",
      firstName: `Guest${input.guest}`,
      lastName: "Benchmark",
      telephone: `+336${pad(input.guest % 100_000_000, 8)}`,
      email: `guest${input.guest}@example.com`,
      companyName: null,
      company: false,
      newsletter: false,
      comments: input.revision === 0
        ? "Allergies: gluten. Window table if possible."
        : `Allergies: gluten, peanuts. Change ${input.revision}.`,
      culture: "fr",
      status: "ACCEPTED",
      optionExpires: null,
      color: null,
      source: "zenchef",
      externalReferenceId: null,
      walkIn: false,
      posId: null,
      prePaidAmount: 0,
      payments: [],
      tickets: [{
        uid: "dinner-menu",
        title: "Dinner menu",
        quantity: people,
        amount: 45 * people,
        fullPrice: 45 * people,
        imageUrl: null,
        refundPolicy: null,
        posId: null
      }],
      tables: Array.from({ length: input.tables }, (_, i) => table(i + 1))
    }
  })
}

/** Standard Webhooks headers for one delivery, signed now (the service allows five minutes of skew). */
export const sign = (
  secret: string,
  id: string,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000)
): Record<string, string> => ({
  "content-type": "application/json",
  "webhook-id": id,
  "webhook-timestamp": String(nowSeconds),
  "webhook-signature": standardWebhookSignature(secret, id, nowSeconds, body)
})

export const newBookingUid = () => randomBytes(8).toString("hex")

/**
 * An endless stream of unique, signed deliveries: even ones create a new booking, odd ones change
 * a booking created earlier (from `changeable`, bookings known to exist before this stream).
 */
export const makeWebhookStream = (options: {
  readonly restaurants: ReadonlyArray<WebhookRestaurant>
  readonly tag: string
  readonly tables: () => number
  readonly changeable: Array<{ readonly restaurant: number; readonly uid: string; readonly guest: number }>
  /** `half` (the default) alternates; `creates` and `changes` send only that kind. */
  readonly mix?: "half" | "creates" | "changes"
}) => {
  let seq = 0
  const created: Array<{ readonly restaurant: number; readonly uid: string; readonly guest: number }> = []
  const next = (): SignedWebhook => {
    const n = seq++
    const id = `msg_${options.tag}_${n}`
    const mix = options.mix ?? "half"
    const wantsChange = options.changeable.length > 0 && (mix === "changes" || (mix === "half" && n % 2 === 1))
    const target = wantsChange
      ? mix === "changes"
        ? options.changeable[n % options.changeable.length]!
        : options.changeable[Math.floor(Math.random() * options.changeable.length)]!
      : { restaurant: n % options.restaurants.length, uid: newBookingUid(), guest: Math.floor(Math.random() * 1e9) }
    if (!wantsChange) created.push(target)
    const restaurant = options.restaurants[target.restaurant]!
    const body = bookingEnvelope({
      restaurantUid: restaurant.restaurantUid,
      uid: target.uid,
      eventId: id,
      event: wantsChange ? "booking.changed" : "booking.created",
      guest: target.guest,
      tables: options.tables(),
      revision: wantsChange ? n : 0
    })
    return { id, body, headers: sign(restaurant.secret, id, body) }
  }
  return { next, created, sent: () => seq }
}
