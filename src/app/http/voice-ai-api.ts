import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { CheckAvailabilityArgs, ConfirmReservationArgs } from "../../domain/ai-tools.js"
import type { BookingRefusalReason } from "../../domain/availability.js"
import { Reservation } from "../../domain/entities.js"
import { DiningServiceId, RestaurantId } from "../../domain/ids.js"
import { TimeZone } from "../../domain/local-time.js"
import { DEFAULT_TIMEZONE } from "../services/availability.js"
import { Unavailable, ValidationError } from "./errors.js"

const refusalReasons = [
  "closed", "after_last_seating", "full", "party_too_large", "offer_unavailable", "offer_party_size", "unknown_service"
] as const satisfies ReadonlyArray<BookingRefusalReason>

/** the booking does not fit; `reason` lets the voice AI offer another time or service. */
export class BookingRefused extends Schema.TaggedError<BookingRefused>()(
  "BookingRefused",
  { reason: Schema.Literal(...refusalReasons), message: Schema.String },
  HttpApiSchema.annotations({ status: 409 })
) {}

/** The restaurant's zone: services are wall-clock times, reservations instants. */
const TimezoneParam = { timezone: Schema.optionalWith(TimeZone, { default: () => DEFAULT_TIMEZONE }) }

export const VoiceAiLanguage = Schema.Literal("fr", "en")

export const VoiceAiSlot = Schema.Struct({
  time: Schema.String,
  localTime: Schema.String,
  serviceId: Schema.NullOr(DiningServiceId),
  serviceName: Schema.NullOr(Schema.String),
  remainingCovers: Schema.Int
})

export const FunctionToolView = Schema.Struct({
  type: Schema.Literal("function"),
  name: Schema.Literal("check_availability", "confirm_reservation"),
  description: Schema.String,
  /** A JSON Schema, passed to the model as is. */
  parameters: Schema.Unknown
})

export const VoiceAiContext = Schema.Struct({
  servicesText: Schema.String,
  offersText: Schema.String,
  tools: Schema.Array(FunctionToolView)
})

export const CheckAvailabilityRequest = Schema.Struct({ restaurantId: RestaurantId, ...CheckAvailabilityArgs.fields })
export const ConfirmReservationRequest = Schema.Struct({ restaurantId: RestaurantId, ...ConfirmReservationArgs.fields })

/** The voice AI's prompt sections and tool definitions, and one endpoint per tool. */
export const VoiceAiApi = HttpApiGroup.make("voiceAi")
  .add(
    HttpApiEndpoint.get("context", "/context")
      .setUrlParams(Schema.Struct({
        restaurantId: RestaurantId,
        language: Schema.optionalWith(VoiceAiLanguage, { default: () => "fr" as const }),
        ...TimezoneParam
      }))
      .addSuccess(VoiceAiContext)
  )
  .add(
    HttpApiEndpoint.post("checkAvailability", "/tools/check_availability")
      .setUrlParams(Schema.Struct(TimezoneParam))
      .setPayload(CheckAvailabilityRequest)
      .addSuccess(Schema.Struct({ slots: Schema.Array(VoiceAiSlot) }))
      .addError(Unavailable)
  )
  .add(
    HttpApiEndpoint.post("confirmReservation", "/tools/confirm_reservation")
      .setUrlParams(Schema.Struct(TimezoneParam))
      .setPayload(ConfirmReservationRequest)
      .addSuccess(Reservation, { status: 201 })
      .addError(BookingRefused)
      .addError(ValidationError)
  )
  .prefix("/api/voice-ai")
