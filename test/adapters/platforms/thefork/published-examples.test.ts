import { assert, describe, it } from "@effect/vitest"
import { Either, Option, Schema } from "effect"
import * as M from "../../../../src/adapters/platforms/thefork/mapper.js"
import {
  TheForkErrorBody,
  TheForkReservation,
  TheForkReservationPage,
  TheForkTimeslot,
  TheForkWebhookEvent
} from "../../../../src/adapters/platforms/thefork/types.js"
import { assertKeepsPublishedFields, publishedExample } from "../../../fixtures/published.js"

// The examples of TheFork's B2B API specification (test/fixtures/thefork), through our wire Schemas and mapper.
describe("thefork published examples", () => {
  it("a reservation read decodes, keeps every field the mapper reads, and maps", () => {
    const published = publishedExample("thefork/reservation.json")
    const decoded = Schema.decodeUnknownSync(TheForkReservation)(published)
    assertKeepsPublishedFields(
      [
        "reservationUuid",
        "restaurantUuid",
        "mealDate",
        "partySize",
        "status",
        "mealStatus",
        "offerUuid",
        "customerNote",
        "restaurantNote",
        "customerUuid",
        "updatedAt"
      ],
      published,
      decoded
    )
    const dto = Either.getOrThrow(M.toReservation(decoded, undefined))
    assert.strictEqual(dto.reservationTime, "2022-01-03T18:10:17.269Z")
    assert.strictEqual(dto.partySize, 2)
    assert.strictEqual(dto.status, "seated", "RECORDED with mealStatus ARRIVED")
    assert.strictEqual(dto.offerExternalId, "3fa85f64-5717-4562-b3fc-2c963f66afa6")
  })

  it("a create answer carries the guest, which the mapper reads", () => {
    const published = publishedExample("thefork/create-response.json")
    const decoded = Schema.decodeUnknownSync(TheForkReservation)(published)
    assertKeepsPublishedFields(["reservationUuid", "mealDate", "partySize", "status"], published, decoded)
    const customer = published["customer"] as Record<string, unknown>
    assertKeepsPublishedFields(["email", "firstName", "lastName", "phone", "locale"], customer, decoded.customer ?? {})
    const dto = Either.getOrThrow(M.toReservation(decoded, decoded.customer ?? undefined))
    assert.strictEqual(dto.customerEmail, "john@example.com")
    assert.strictEqual(dto.customerPhone, "+33612345678")
  })

  it("our create body has only the published request fields, at both levels", () => {
    const published = publishedExample("thefork/create-request.json")
    const body = Either.getOrThrow(M.toReservationCreate({
      customerName: "Ana Ruiz",
      customerPhone: "+33612345678",
      customerEmail: "ana@example.com",
      partySize: 2,
      reservationTime: "2030-06-07T17:30:00.000Z",
      offerExternalId: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
      notes: "Window seat",
      externalReferenceId: "resa-1"
    }, { locale: "fr_FR", civility: "mx" }))
    const customer = published["customer"] as Record<string, unknown>
    for (const key of Object.keys(body)) {
      assert.property(published, key, `the create schema (additionalProperties: false) has ${key}`)
    }
    for (const key of Object.keys(body.customer)) {
      assert.property(customer, key, `the customer schema (additionalProperties: false) has ${key}`)
    }
  })

  it("a reservation page, a timeslot, an error and a webhook event decode", () => {
    const page = publishedExample("thefork/reservation-page.json")
    assertKeepsPublishedFields(
      ["data", "totalCount", "page", "limit"],
      page,
      Schema.decodeUnknownSync(TheForkReservationPage)(page)
    )
    const slot = publishedExample("thefork/timeslot.json")
    const decodedSlot = Schema.decodeUnknownSync(TheForkTimeslot)(slot)
    assertKeepsPublishedFields(["datetime", "offers", "hasNormalStock"], slot, decodedSlot)
    // The documented example carries an offset: the slot is that instant.
    assert.strictEqual(Option.getOrThrow(M.toAvailabilitySlot(decodedSlot, 2)).time, "2022-01-01T11:30:00.000Z")
    const error = publishedExample("thefork/error-not-found.json")
    assertKeepsPublishedFields(
      ["statusCode", "error", "data"],
      error,
      Schema.decodeUnknownSync(TheForkErrorBody)(error)
    )
    const event = publishedExample("thefork/webhook-event.json")
    assertKeepsPublishedFields(
      ["entityType", "eventType", "uuid", "restaurantUuid"],
      event,
      Schema.decodeUnknownSync(TheForkWebhookEvent)(event)
    )
  })
})
