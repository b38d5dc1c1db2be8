import * as OtlpSerialization from "@effect/opentelemetry/OtlpSerialization"
import type * as HttpBody from "@effect/platform/HttpBody"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { encodeTraces, layerProtobuf, type TracesData } from "../../../src/app/observability/otlp-protobuf.js"

const attributes = [
  { key: "platform", value: { stringValue: "zenchef" } },
  { key: "restaurantId", value: { stringValue: "é-unicode-✓" } },
  { key: "attempt", value: { intValue: 3 } },
  { key: "large", value: { intValue: 2 ** 40 + 7 } },
  { key: "ratio", value: { doubleValue: 0.25 } },
  { key: "ok", value: { boolValue: true } },
  { key: "no", value: { boolValue: false } },
  { key: "tags", value: { arrayValue: { values: [{ stringValue: "a" }, { intValue: 0 }] } } },
  { key: "nested", value: { kvlistValue: { values: [{ key: "k", value: { stringValue: "v" } }] } } },
  { key: "raw", value: { bytesValue: new Uint8Array([0, 1, 255]) } },
  { key: "empty", value: {} }
]

const span = (n: number, extra: object = {}) => ({
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: `00f067aa0ba902b${n}`,
  name: `SyncJob.apply ${n}`,
  kind: n % 6,
  // Past 2^53 nanoseconds: a number would lose the last digits.
  startTimeUnixNano: "1764876543210987654",
  endTimeUnixNano: "1764876543298765432",
  attributes,
  droppedAttributesCount: 0,
  events: [],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 1 },
  ...extra
})

const data: TracesData = {
  resourceSpans: [
    {
      resource: {
        attributes: [{ key: "service.name", value: { stringValue: "alloresto-sync" } }],
        droppedAttributesCount: 0
      },
      scopeSpans: [{
        scope: { name: "alloresto-sync", version: "0.1.0" },
        spans: [
          span(1),
          span(2, {
            parentSpanId: "b7ad6b7169203331",
            traceState: "vendor=x",
            flags: 1,
            droppedAttributesCount: 2,
            events: [{ timeUnixNano: "1764876543250000000", name: "exception", attributes, droppedAttributesCount: 1 }],
            droppedEventsCount: 4,
            links: [{
              traceId: "0af7651916cd43dd8448eb211c80319c",
              spanId: "b9c7c989f97918e1",
              traceState: "a=b",
              attributes,
              droppedAttributesCount: 3,
              flags: 256
            }],
            droppedLinksCount: 5,
            status: { code: 2, message: "platform error: 503" }
          })
        ],
        schemaUrl: "https://opentelemetry.io/schemas/1.24.0"
      }]
    },
    {
      resource: { attributes: [], droppedAttributesCount: 6 },
      scopeSpans: [{ scope: { name: "s", attributes, droppedAttributesCount: 1 }, spans: [span(3)] }],
      schemaUrl: ""
    }
  ]
}

const packagedTraces = (input: TracesData) =>
  Effect.runSync(
    Effect.map(OtlpSerialization.OtlpSerialization, (s) => s.traces(input)).pipe(
      Effect.provide(OtlpSerialization.layerProtobuf)
    )
  ) as HttpBody.Uint8Array

describe("OTLP traces in protobuf", () => {
  it("writes the bytes @effect/opentelemetry's encoder writes, for every field the tracer fills", () => {
    const expected = packagedTraces(data).body
    const written = encodeTraces(data)
    expect(written.length).toBeGreaterThan(1000)
    expect(Buffer.from(written).equals(Buffer.from(expected))).toBe(true)
  })

  it("writes an empty export as no bytes, as the package does", () => {
    expect(encodeTraces({ resourceSpans: [] }).length).toBe(0)
    expect(packagedTraces({ resourceSpans: [] }).body.length).toBe(0)
  })

  it.effect("is the traces serialization of the layer; metrics keep the package's encoder", () =>
    Effect.gen(function*() {
      const serialization = yield* OtlpSerialization.OtlpSerialization
      const body = serialization.traces(data) as HttpBody.Uint8Array
      expect(body.contentType).toBe("application/x-protobuf")
      expect(Buffer.from(body.body).equals(Buffer.from(encodeTraces(data)))).toBe(true)
      const metrics = serialization.metrics({ resourceMetrics: [] }) as HttpBody.Uint8Array
      expect(metrics.contentType).toBe("application/x-protobuf")
    }).pipe(Effect.provide(layerProtobuf)))
})
