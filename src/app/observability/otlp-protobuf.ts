import type { AnyValue, KeyValue } from "@effect/opentelemetry/OtlpResource"
import * as OtlpSerialization from "@effect/opentelemetry/OtlpSerialization"
import * as HttpBody from "@effect/platform/HttpBody"
import { Effect, Layer } from "effect"
import protobuf from "protobufjs/minimal.js"

/**
 * OTLP trace export in protobuf, written with protobufjs's `Writer` (issue 22). The encoder that
 * comes with @effect/opentelemetry builds a new byte array for every field and every nesting
 * level and goes through BigInt for each varint: with a span per webhook and per sync attempt it
 * cost as much CPU as applying the events. The bytes are the same (see its test); metrics and
 * logs, exported rarely, keep the package's own encoder.
 */

/** The OTLP/JSON shape of a trace export, as @effect/opentelemetry's tracer hands it over. */
interface Resource {
  readonly attributes: ReadonlyArray<KeyValue>
  readonly droppedAttributesCount: number
}
interface Scope {
  readonly name: string
  readonly version?: string
  readonly attributes?: ReadonlyArray<KeyValue>
  readonly droppedAttributesCount?: number
}
interface Status {
  readonly code: number
  readonly message?: string
}
interface Event {
  readonly timeUnixNano: string
  readonly name: string
  readonly attributes: ReadonlyArray<KeyValue>
  readonly droppedAttributesCount: number
}
interface Link {
  readonly traceId: string
  readonly spanId: string
  readonly traceState?: string
  readonly attributes: ReadonlyArray<KeyValue>
  readonly droppedAttributesCount: number
  readonly flags?: number
}
interface Span {
  readonly traceId: string
  readonly spanId: string
  readonly traceState?: string
  readonly parentSpanId?: string
  readonly name: string
  readonly kind: number
  readonly startTimeUnixNano: string
  readonly endTimeUnixNano: string
  readonly attributes: ReadonlyArray<KeyValue>
  readonly droppedAttributesCount: number
  readonly events: ReadonlyArray<Event>
  readonly droppedEventsCount: number
  readonly links: ReadonlyArray<Link>
  readonly droppedLinksCount: number
  readonly status: Status
  readonly flags?: number
}
interface ScopeSpans {
  readonly scope: Scope
  readonly spans: ReadonlyArray<Span>
  readonly schemaUrl?: string
}
interface ResourceSpans {
  readonly resource: Resource
  readonly scopeSpans: ReadonlyArray<ScopeSpans>
  readonly schemaUrl?: string
}
export interface TracesData {
  readonly resourceSpans: ReadonlyArray<ResourceSpans>
}

type Writer = protobuf.Writer

const VARINT = 0
const FIXED64 = 1
const LENGTH_DELIMITED = 2
const FIXED32 = 5

const tag = (w: Writer, field: number, wireType: number) => w.uint32((field << 3) | wireType)

const string = (w: Writer, field: number, value: string) => tag(w, field, LENGTH_DELIMITED).string(value)

const optionalString = (w: Writer, field: number, value: string | undefined) => {
  if (value !== undefined && value !== "") string(w, field, value)
}

const hexBytes = (w: Writer, field: number, hex: string) =>
  tag(w, field, LENGTH_DELIMITED).bytes(Buffer.from(hex, "hex"))

const varint = (w: Writer, field: number, value: number) => tag(w, field, VARINT).uint32(value)

// Nanosecond times pass 2^53: written as the two little-endian halves of the 64-bit value.
const nanos = (w: Writer, field: number, value: string) => {
  const n = BigInt(value)
  return tag(w, field, FIXED64).fixed32(Number(n & 0xffffffffn)).fixed32(Number(n >> 32n))
}

const message = <A>(w: Writer, field: number, value: A, encode: (w: Writer, value: A) => void) => {
  tag(w, field, LENGTH_DELIMITED).fork()
  encode(w, value)
  w.ldelim()
}

const repeated = <A>(w: Writer, field: number, values: ReadonlyArray<A>, encode: (w: Writer, value: A) => void) => {
  for (const value of values) message(w, field, value, encode)
}

const anyValue = (w: Writer, value: AnyValue): void => {
  if (value.stringValue !== undefined && value.stringValue !== null) string(w, 1, value.stringValue)
  else if (value.boolValue !== undefined && value.boolValue !== null) tag(w, 2, VARINT).bool(value.boolValue)
  else if (value.intValue !== undefined && value.intValue !== null) tag(w, 3, VARINT).int64(value.intValue)
  else if (value.doubleValue !== undefined && value.doubleValue !== null) tag(w, 4, FIXED64).double(value.doubleValue)
  else if (value.arrayValue !== undefined) {
    message(w, 5, value.arrayValue.values, (w, values) => repeated(w, 1, values, anyValue))
  } else if (value.kvlistValue !== undefined) {
    message(w, 6, value.kvlistValue.values, (w, values) => repeated(w, 1, values, keyValue))
  } else if (value.bytesValue !== undefined) tag(w, 7, LENGTH_DELIMITED).bytes(value.bytesValue)
}

const keyValue = (w: Writer, kv: KeyValue) => {
  string(w, 1, kv.key)
  message(w, 2, kv.value, anyValue)
}

const status = (w: Writer, s: Status) => {
  optionalString(w, 2, s.message)
  varint(w, 3, s.code)
}

const event = (w: Writer, e: Event) => {
  nanos(w, 1, e.timeUnixNano)
  string(w, 2, e.name)
  repeated(w, 3, e.attributes, keyValue)
  if (e.droppedAttributesCount > 0) varint(w, 4, e.droppedAttributesCount)
}

const link = (w: Writer, l: Link) => {
  hexBytes(w, 1, l.traceId)
  hexBytes(w, 2, l.spanId)
  optionalString(w, 3, l.traceState)
  repeated(w, 4, l.attributes, keyValue)
  if (l.droppedAttributesCount > 0) varint(w, 5, l.droppedAttributesCount)
  if (l.flags !== undefined) tag(w, 6, FIXED32).fixed32(l.flags)
}

const span = (w: Writer, s: Span) => {
  hexBytes(w, 1, s.traceId)
  hexBytes(w, 2, s.spanId)
  optionalString(w, 3, s.traceState)
  if (s.parentSpanId !== undefined) hexBytes(w, 4, s.parentSpanId)
  string(w, 5, s.name)
  varint(w, 6, s.kind)
  nanos(w, 7, s.startTimeUnixNano)
  nanos(w, 8, s.endTimeUnixNano)
  repeated(w, 9, s.attributes, keyValue)
  if (s.droppedAttributesCount > 0) varint(w, 10, s.droppedAttributesCount)
  repeated(w, 11, s.events, event)
  if (s.droppedEventsCount > 0) varint(w, 12, s.droppedEventsCount)
  repeated(w, 13, s.links, link)
  if (s.droppedLinksCount > 0) varint(w, 14, s.droppedLinksCount)
  message(w, 15, s.status, status)
  if (s.flags !== undefined) tag(w, 16, FIXED32).fixed32(s.flags)
}

const scope = (w: Writer, s: Scope) => {
  string(w, 1, s.name)
  optionalString(w, 2, s.version)
  if (s.attributes !== undefined) repeated(w, 3, s.attributes, keyValue)
  if (s.droppedAttributesCount) varint(w, 4, s.droppedAttributesCount)
}

const resource = (w: Writer, r: Resource) => {
  repeated(w, 1, r.attributes, keyValue)
  if (r.droppedAttributesCount > 0) varint(w, 2, r.droppedAttributesCount)
}

const scopeSpans = (w: Writer, s: ScopeSpans) => {
  message(w, 1, s.scope, scope)
  repeated(w, 2, s.spans, span)
  optionalString(w, 3, s.schemaUrl)
}

const resourceSpans = (w: Writer, r: ResourceSpans) => {
  message(w, 1, r.resource, resource)
  repeated(w, 2, r.scopeSpans, scopeSpans)
  optionalString(w, 3, r.schemaUrl)
}

/** An `ExportTraceServiceRequest` in the protobuf wire format. */
export const encodeTraces = (data: TracesData): Uint8Array => {
  const w = protobuf.Writer.create()
  repeated(w, 1, data.resourceSpans, resourceSpans)
  return w.finish()
}

/** The package's protobuf serialization, with traces written by `encodeTraces`. */
export const layerProtobuf: Layer.Layer<OtlpSerialization.OtlpSerialization> = Layer.effect(
  OtlpSerialization.OtlpSerialization,
  Effect.map(OtlpSerialization.OtlpSerialization, (packaged) => ({
    ...packaged,
    traces: (data: unknown) => HttpBody.uint8Array(encodeTraces(data as TracesData), "application/x-protobuf")
  }))
).pipe(Layer.provide(OtlpSerialization.layerProtobuf))
