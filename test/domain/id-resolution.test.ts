import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import type { ReservationSyncDTO } from "../../src/domain/dtos.js"
import type { Reservation } from "../../src/domain/entities.js"
import {
  planLookups,
  refKey,
  reservationExternalRefs,
  reservationLocalRefs,
  toExternalIds,
  toLocalIds
} from "../../src/domain/id-resolution.js"
import type { DiningRoomId, DiningServiceId, DiningTableId, EntityType, OfferId } from "../../src/domain/ids.js"

type Links = Pick<Reservation, "serviceId" | "offerId" | "diningRoomId" | "tableIds">

/** A few shared ids per type, so many reservations point at the same service, room or table. */
const pool = <A extends string>(prefix: string) =>
  FastCheck.constantFrom(...[1, 2, 3].map((n) => `${prefix}0000000-0000-4000-8000-00000000000${n}` as A))
const links: FastCheck.Arbitrary<Links> = FastCheck.record({
  serviceId: FastCheck.option(pool<DiningServiceId>("a")),
  offerId: FastCheck.option(pool<OfferId>("b")),
  diningRoomId: FastCheck.option(pool<DiningRoomId>("c")),
  tableIds: FastCheck.uniqueArray(pool<DiningTableId>("d"), { maxLength: 3 })
})

/** Every local id of `rs` mapped to `ext-<id>`, and the reverse: what the mapping repository returns. */
const mappingsOf = (rs: ReadonlyArray<Links>) => {
  const outbound = new Map<string, string>()
  const inbound = new Map<string, string>()
  for (const ref of rs.flatMap(reservationLocalRefs)) {
    outbound.set(refKey(ref.entityType, ref.entityId), `ext-${ref.entityId}`)
    inbound.set(refKey(ref.entityType, `ext-${ref.entityId}`), ref.entityId)
  }
  return { outbound, inbound }
}

describe("planLookups (one batch lookup per entity type)", () => {
  it.prop("plans one de-duplicated query per entity type, whatever the number of reservations", [
    FastCheck.array(links, { maxLength: 40 })
  ], ([rs]) => {
    const refs = rs.flatMap(reservationLocalRefs)
    const plan = planLookups(refs)
    expect(plan.map((p) => p.entityType).sort()).toEqual([...new Set(refs.map((r) => r.entityType))].sort())
    for (const { entityType, ids } of plan) {
      expect(new Set(ids).size).toBe(ids.length)
      expect(new Set(ids)).toEqual(new Set(refs.filter((r) => r.entityType === entityType).map((r) => r.entityId)))
    }
  })

  it("groups 100 reservations sharing a service and tables into 4 queries of a few ids", () => {
    const service = "a0000000-0000-4000-8000-000000000001" as DiningServiceId
    const rs: Array<Links> = Array.from({ length: 100 }, (_, i) => ({
      serviceId: service,
      offerId: null,
      diningRoomId: `c0000000-0000-4000-8000-00000000000${i % 2}` as DiningRoomId,
      tableIds: [`d0000000-0000-4000-8000-00000000000${i % 3}` as DiningTableId]
    }))
    const dtos: Array<ReservationSyncDTO> = [
      {
        customerName: "A",
        customerPhone: "",
        partySize: 2,
        reservationTime: "2030-01-01T19:00:00Z",
        offerExternalId: "x",
        tableExternalIds: ["t1", "t2"]
      },
      {
        customerName: "B",
        customerPhone: "",
        partySize: 2,
        reservationTime: "2030-01-01T19:00:00Z",
        offerExternalId: "x",
        tableExternalIds: ["t2"]
      }
    ]
    expect(planLookups(rs.flatMap(reservationLocalRefs)).map((p) => [p.entityType, p.ids.length])).toEqual([
      ["dining_service", 1],
      ["dining_room", 2],
      ["table", 3]
    ])
    expect(planLookups(dtos.flatMap(reservationExternalRefs))).toEqual([
      { entityType: "offer", ids: ["x"] },
      { entityType: "table", ids: ["t1", "t2"] }
    ])
  })

  it("keys the same id apart for two entity types", () => {
    const types: Array<EntityType> = ["table", "dining_room", "offer", "dining_service"]
    expect(new Set(types.map((t) => refKey(t, "42"))).size).toBe(4)
  })
})

describe("toExternalIds (R-5.3)", () => {
  const r: Links = {
    serviceId: "a0000000-0000-4000-8000-000000000001" as DiningServiceId,
    offerId: "b0000000-0000-4000-8000-000000000001" as OfferId,
    diningRoomId: "c0000000-0000-4000-8000-000000000001" as DiningRoomId,
    tableIds: ["d0000000-0000-4000-8000-000000000001", "d0000000-0000-4000-8000-000000000002"] as Array<DiningTableId>
  }

  it("translates every mapped link", () => {
    expect(toExternalIds(r, mappingsOf([r]).outbound)).toEqual({
      serviceExternalId: `ext-${r.serviceId}`,
      offerExternalId: `ext-${r.offerId}`,
      diningRoomExternalId: `ext-${r.diningRoomId}`,
      tableExternalIds: r.tableIds.map((id) => `ext-${id}`)
    })
  })

  it("leaves a field undefined when its mapping is missing and drops unmapped tables", () => {
    const lookup = new Map([[refKey("table", r.tableIds[1]!), "T2"], [refKey("offer", r.serviceId!), "wrong type"]])
    const external = toExternalIds(r, lookup)
    expect(external.serviceExternalId).toBeUndefined()
    expect(external.offerExternalId).toBeUndefined()
    expect(external.diningRoomExternalId).toBeUndefined()
    expect(external.tableExternalIds).toEqual(["T2"])
    expect(toExternalIds(r, new Map()).tableExternalIds).toBeUndefined()
  })
})

describe("toLocalIds (R-6.3)", () => {
  const dto: ReservationSyncDTO = {
    customerName: "Ana",
    customerPhone: "",
    partySize: 2,
    reservationTime: "2030-01-01T19:00:00Z",
    serviceExternalId: "S",
    offerExternalId: "O",
    diningRoomExternalId: "R",
    tableExternalIds: ["T1", "T2"]
  }

  it("gives null for a missing mapping, drops unmapped tables, and refuses a malformed local id", () => {
    const table = "d0000000-0000-4000-8000-000000000001"
    const lookup = new Map([[refKey("table", "T2"), table], [refKey("dining_room", "R"), "not-a-uuid"]])
    expect(toLocalIds(dto, lookup)).toEqual({ serviceId: null, offerId: null, diningRoomId: null, tableIds: [table] })
  })

  it.prop("undoes toExternalIds when every link is mapped", [links], ([r]) => {
    const { inbound, outbound } = mappingsOf([r])
    const dtoOf = { ...dto, ...toExternalIds(r, outbound) }
    expect(toLocalIds(dtoOf, inbound)).toEqual(r)
  })
})
