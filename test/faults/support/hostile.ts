import { samples } from "../../support/samples.js"

/** One hostile request body: what it is, its bytes and the content type it claims. */
export interface HostileBody {
  readonly kind: string
  readonly body: string | Buffer
  readonly contentType: string
}

export const SQL = "'; DROP TABLE reservations; -- ' OR '1'='1"
const deep = (levels: number) => ({
  array: "[".repeat(levels) + "]".repeat(levels),
  object: "{\"a\":".repeat(levels) + "1" + "}".repeat(levels)
})

/** Replaces every string in a valid body: the shape passes validation, so the value reaches SQL. */
const everyString = (value: unknown, replace: (s: string) => string): unknown =>
  typeof value === "string"
    ? replace(value)
    : Array.isArray(value)
    ? value.map((v) => everyString(v, replace))
    : typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, everyString(v, replace)]))
    : value

/** Valid create bodies by collection path, for the variants that must get past validation. */
export const validBodies: Readonly<Record<string, unknown>> = {
  "/api/reservations": samples.reservation("resto-hostile"),
  "/api/dining-services": samples.diningService("resto-hostile"),
  "/api/offers": samples.offer("resto-hostile"),
  "/api/rooms": samples.diningRoom("resto-hostile"),
  "/api/tables": samples.diningTable("resto-hostile"),
  "/api/menu-items": samples.menuItem("resto-hostile"),
  "/api/customers": samples.customer("resto-hostile"),
  "/api/orders": samples.order("resto-hostile")
}

const json = (kind: string, value: unknown): HostileBody => ({
  kind,
  body: JSON.stringify(value),
  contentType: "application/json"
})

/** Every hostile body for a route; `valid` is a body the route would accept, when known. */
export const hostileBodies = (maxBodyBytes: number, valid: unknown): ReadonlyArray<HostileBody> => {
  // Expected: 413 (any 4xx) for "huge"; a closed connection with no answer counts as a failure.
  const nested = deep(10_000)
  const shaped = valid === undefined ? [] : [
    json("valid shape, SQL in every string", everyString(valid, () => SQL)),
    json("valid shape, NUL byte in every string", everyString(valid, (s) => `${s}\u0000x`)),
    json("valid shape, lone surrogate in every string", everyString(valid, (s) => `${s}\ud800`)),
    // Long, but the whole body stays under the limit: this is about column sizes, not the body cap.
    json("valid shape, 2,000-character strings", everyString(valid, () => "é".repeat(2_000)))
  ]
  return [
    {
      kind: "huge (> MAX_BODY_BYTES)",
      body: JSON.stringify({ name: "x".repeat(maxBodyBytes + 1024) }),
      contentType: "application/json"
    },
    { kind: "nested arrays, 10k levels", body: nested.array, contentType: "application/json" },
    { kind: "nested objects, 10k levels", body: nested.object, contentType: "application/json" },
    json("wrong types", {
      restaurantId: 123,
      name: [],
      partySize: "four",
      reservationTime: true,
      tableIds: { a: 1 },
      credentials: "x",
      platform: 7,
      seats: -1e308,
      price: "NaN",
      id: {}
    }),
    json("SQL in strings", {
      restaurantId: SQL,
      name: SQL,
      customerName: SQL,
      customerPhone: SQL,
      platform: SQL,
      label: SQL,
      reservationTime: SQL,
      status: SQL
    }),
    json(
      "prototype keys",
      JSON.parse("{\"__proto__\":{\"polluted\":true},\"constructor\":{\"prototype\":{\"polluted\":true}}}")
    ),
    json("array root", []),
    json("number root", 1e308),
    json("null root", null),
    { kind: "number out of range", body: "{\"partySize\":1e400,\"seats\":-1e400}", contentType: "application/json" },
    { kind: "empty body", body: "", contentType: "application/json" },
    { kind: "truncated JSON", body: "{\"restaurantId\":\"r", contentType: "application/json" },
    {
      kind: "invalid UTF-8",
      body: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
      contentType: "application/json"
    },
    { kind: "text/plain", body: JSON.stringify(valid ?? { a: 1 }), contentType: "text/plain" },
    {
      kind: "XML",
      body: "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
      contentType: "application/xml"
    },
    { kind: "multipart without boundary", body: "--x\r\n\r\nhello", contentType: "multipart/form-data" },
    { kind: "form-urlencoded", body: "restaurantId=r&name=%00%27", contentType: "application/x-www-form-urlencoded" },
    ...shaped
  ]
}

/** Path parameters: a well-formed id that exists nowhere, and hostile ones. */
export const pathValues = (name: string) =>
  name === "platform"
    ? ["zenchef", "nope", SQL]
    : ["6f1c1a4e-0000-4000-8000-000000000000", "1", SQL, "%00", "..%2F..%2Fetc%2Fpasswd", "x".repeat(5_000)]

export const hostileQueries = [
  "",
  `?restaurantId=${encodeURIComponent(SQL)}&limit=-1&offset=abc`,
  "?limit=99999999999999999999&offset=-5&status=%00&from=not-a-date",
  `?force=${encodeURIComponent(SQL)}&timezone=${encodeURIComponent("../../etc/passwd")}`
]
