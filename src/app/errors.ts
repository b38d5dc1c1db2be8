import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import { Schema } from "effect"
import { bookingRefusalReasons } from "../domain/availability.js"

/**
 * every error is JSON with a stable shape `{ _tag, message, ... }` and the right status.
 * The services raise these; they are the only error types that cross the HTTP boundary.
 */
export const Issue = Schema.Struct({ path: Schema.String, message: Schema.String })

export class ValidationError extends Schema.TaggedError<ValidationError>()(
  "ValidationError",
  { message: Schema.String, issues: Schema.Array(Issue) },
  HttpApiSchema.annotations({ status: 400 })
) {}

/** A request refused for the fields named, each with the rule it breaks. */
export const invalidFields = (issues: ReadonlyArray<typeof Issue.Type>) =>
  new ValidationError({ message: issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "), issues })

/** A request refused for one field, and the rule it breaks. */
export const invalidField = (path: string, message: string) => invalidFields([{ path, message }])

export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 401 })
) {}

/** Issue 17: the key is valid, but its role or its restaurants do not allow this. */
export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 403 })
) {}

export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  { message: Schema.String, resource: Schema.String, id: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {}

export class Conflict extends Schema.TaggedError<Conflict>()(
  "Conflict",
  {
    message: Schema.String,
    /** A PATCH made on a replaced version: the record's version now, to read it again at. */
    currentVersion: Schema.optional(Schema.Int)
  },
  HttpApiSchema.annotations({ status: 409 })
) {}

/** A caller past its share of a resource held open (a change stream): close one, then try again. */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()(
  "TooManyRequests",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 429 })
) {}

export class Unavailable extends Schema.TaggedError<Unavailable>()(
  "Unavailable",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 503 })
) {}

export class InternalError extends Schema.TaggedError<InternalError>()(
  "InternalError",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 500 })
) {}

export const notFound = (resource: string, id: string) =>
  new NotFound({ message: `${resource} ${id} not found`, resource, id })

/** the booking does not fit; `reason` lets the voice AI offer another time or service. */
export class BookingRefused extends Schema.TaggedError<BookingRefused>()(
  "BookingRefused",
  { reason: Schema.Literal(...bookingRefusalReasons), message: Schema.String },
  HttpApiSchema.annotations({ status: 409 })
) {}

/** GET /health: the service answers, but without its database it cannot do its work. */
export class HealthDegraded extends Schema.TaggedError<HealthDegraded>()(
  "HealthDegraded",
  {
    status: Schema.Literal("degraded"),
    database: Schema.Literal("up", "down"),
    /** Issue 19: the sync side, when it is the part that is down. */
    sync: Schema.optional(Schema.Literal("down")),
    message: Schema.String
  },
  HttpApiSchema.annotations({ status: 503 })
) {}
