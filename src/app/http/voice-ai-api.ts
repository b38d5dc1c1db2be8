import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import { Schema } from "effect"
import { Reservation } from "../../domain/entities.js"
import { RestaurantId } from "../../domain/ids.js"
import { BookingRefused, Unavailable, ValidationError } from "../errors.js"
import {
  CheckAvailabilityRequest,
  ConfirmReservationRequest,
  VoiceAiContext,
  VoiceAiLanguage,
  VoiceAiSlot
} from "../services/voice-ai.js"
import { everyIssue } from "./every-issue.js"
import { Authentication } from "./middleware/authentication.js"

/** The voice AI's prompt sections and tool definitions, and one endpoint per tool. */
export const VoiceAiApi = HttpApiGroup.make("voiceAi")
  .add(
    HttpApiEndpoint.get("context", "/context")
      .setUrlParams(everyIssue(Schema.Struct({
        restaurantId: RestaurantId,
        language: Schema.optionalWith(VoiceAiLanguage, { default: () => "fr" as const })
      })))
      .addSuccess(VoiceAiContext)
  )
  .add(
    // The restaurant's time zone comes from its settings (GET/PUT /api/restaurants/{id}/settings).
    HttpApiEndpoint.post("checkAvailability", "/tools/check_availability")
      .setPayload(everyIssue(CheckAvailabilityRequest))
      .addSuccess(Schema.Struct({ slots: Schema.Array(VoiceAiSlot) }))
      .addError(Unavailable)
  )
  .add(
    HttpApiEndpoint.post("confirmReservation", "/tools/confirm_reservation")
      .setPayload(everyIssue(ConfirmReservationRequest))
      .addSuccess(Reservation, { status: 201 })
      .addError(BookingRefused)
      .addError(ValidationError)
  )
  .prefix("/api/voice-ai")
  .middleware(Authentication)
