import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { Reservation } from "../../domain/entities.js"
import { RestaurantId } from "../../domain/ids.js"
import { BookingRefused, Unavailable, ValidationError } from "../errors.js"
import {
  CheckAvailabilityRequest,
  ConfirmReservationRequest,
  TimezoneParam,
  VoiceAiContext,
  VoiceAiLanguage,
  VoiceAiSlot
} from "../services/voice-ai.js"

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
