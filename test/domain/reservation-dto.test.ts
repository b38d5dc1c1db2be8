import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { resolveConflict } from "../../src/domain/conflict.js"
import type { ReservationSyncDTO } from "../../src/domain/dtos.js"
import { type Reservation, reservation } from "../../src/domain/entities.js"
import type { ReservationLocalIds } from "../../src/domain/id-resolution.js"
import type { DiningServiceId, DiningTableId, ReservationId, RestaurantId } from "../../src/domain/ids.js"
import {
  missingGuestName,
  newReservationFromSyncDTO,
  reservationFieldsFromSyncDTO,
  reservationToSyncDTO
} from "../../src/domain/reservation-dto.js"

const local: Reservation = {
  id: "11111111-1111-4111-8111-111111111111" as ReservationId,
  restaurantId: "resto-1" as RestaurantId,
  customerId: null,
  customerName: "Ana Ruiz",
  customerPhone: "+33612345678",
  customerEmail: "ana@example.com",
  partySize: 4,
  adults: null,
  children: null,
  reservationTime: "2030-06-07T17:30:00.000Z",
  durationMin: null,
  status: "confirmed",
  source: "phone",
  notes: "window",
  allergies: ["peanuts"],
  dietaryRestrictions: [],
  occasion: null,
  serviceId: "a0000000-0000-4000-8000-000000000001" as DiningServiceId,
  offerId: null,
  diningRoomId: null,
  tableIds: ["d0000000-0000-4000-8000-000000000001" as DiningTableId],
  version: 3,
  createdAt: "2030-01-01T00:00:00.000Z",
  updatedAt: "2030-01-01T00:00:00.000Z"
}

const noLinks: ReservationLocalIds = { serviceId: null, offerId: null, diningRoomId: null, tableIds: [] }

const booking: ReservationSyncDTO = {
  customerName: "Ana Ruiz",
  customerPhone: "",
  partySize: 6,
  reservationTime: "2030-06-07T18:00:00.000Z",
  serviceExternalId: "unmapped-shift",
  tableExternalIds: ["unmapped-table"],
  allergies: [" Gluten ", ""]
}

describe("reservationToSyncDTO (R-5.3)", () => {
  it("drops nulls, carries the status, our id and the translated links", () => {
    expect(
      reservationToSyncDTO(local, { serviceExternalId: "S1", tableExternalIds: ["T1"], offerExternalId: undefined })
    ).toEqual({
      customerName: "Ana Ruiz",
      customerPhone: "+33612345678",
      customerEmail: "ana@example.com",
      partySize: 4,
      reservationTime: "2030-06-07T17:30:00.000Z",
      serviceExternalId: "S1",
      tableExternalIds: ["T1"],
      status: "confirmed",
      notes: "window",
      allergies: ["peanuts"],
      dietaryRestrictions: [],
      externalReferenceId: local.id
    })
  })

  it("has no key holding undefined", () => {
    const dto = reservationToSyncDTO(local, {})
    expect(Object.values(dto)).not.toContain(undefined)
  })
})

describe("reservationFieldsFromSyncDTO (R-6.4)", () => {
  it("holds only what the booking defines; an unmapped link or a blank phone is not a change", () => {
    expect(reservationFieldsFromSyncDTO(booking, noLinks)).toEqual({
      customerName: "Ana Ruiz",
      partySize: 6,
      reservationTime: "2030-06-07T18:00:00.000Z",
      allergies: ["Gluten"]
    })
  })

  it("carries mapped links, and an explicitly empty table list clears the tables", () => {
    const serviceId = "a0000000-0000-4000-8000-000000000002" as DiningServiceId
    const fields = reservationFieldsFromSyncDTO({ ...booking, tableExternalIds: [] }, { ...noLinks, serviceId })
    expect(fields.serviceId).toBe(serviceId)
    expect(fields.tableIds).toEqual([])
  })

  it("merged under a platform master, keeps what the platform did not send", () => {
    const remote = reservationFieldsFromSyncDTO(booking, noLinks)
    const { merged } = resolveConflict({ local, remote, platform: "zenchef", master: "zenchef" })
    expect(merged).toEqual({
      ...local,
      partySize: 6,
      reservationTime: "2030-06-07T18:00:00.000Z",
      allergies: ["peanuts", "Gluten"]
    })
  })
})

describe("newReservationFromSyncDTO (R-6.3)", () => {
  it("is a valid create input, born on the platform, confirmed by default, links null when unmapped", () => {
    const created = newReservationFromSyncDTO(booking, noLinks, "thefork")
    expect(created).toMatchObject({
      source: "thefork",
      status: "confirmed",
      customerPhone: "",
      serviceId: null,
      tableIds: []
    })
    const decoded = Schema.decodeUnknownSync(reservation.Create)({ ...created, restaurantId: "resto-1" })
    expect(decoded).toEqual({ ...created, restaurantId: "resto-1" })
  })

  it("keeps the platform's status", () => {
    expect(newReservationFromSyncDTO({ ...booking, status: "pending" }, noLinks, "zenchef").status).toBe("pending")
  })

  it("a booking without a guest name is stored under a neutral name, with a note saying so (issue 19)", () => {
    const created = newReservationFromSyncDTO({ ...booking, customerName: " ", notes: "terrace" }, noLinks, "zenchef")
    expect(created.customerName).toBe(missingGuestName)
    expect(created.notes).toBe(`terrace\nGuest name not given by zenchef; "${missingGuestName}" stored in its place.`)
    expect(() => Schema.decodeUnknownSync(reservation.Create)({ ...created, restaurantId: "resto-1" })).not.toThrow()
  })
})
