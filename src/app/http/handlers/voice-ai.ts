import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import type { ConnectorError } from "../../../ports/connector-errors.js"
import { Unavailable } from "../../errors.js"
import { VoiceAi } from "../../services/voice-ai.js"
import { SyncApi } from "../api.js"

/** A platform that is master for reservations could not answer: the caller may try again. */
const platformUnavailable = (e: ConnectorError) =>
  new Unavailable({ message: `${e.platform} could not give its availability: ${e.message}` })

export const VoiceAiLive = HttpApiBuilder.group(SyncApi, "voiceAi", (handlers) =>
  Effect.gen(function*() {
    const voiceAi = yield* VoiceAi
    return handlers
      .handle("context", ({ urlParams }) => voiceAi.context(urlParams.restaurantId, urlParams.language))
      .handle("checkAvailability", ({ payload }) => {
        const { restaurantId, ...args } = payload
        return voiceAi.checkAvailability(restaurantId, args).pipe(
          Effect.map((slots) => ({ slots })),
          Effect.mapError((e) => (e._tag === "Forbidden" ? e : platformUnavailable(e)))
        )
      })
      .handle("confirmReservation", ({ payload }) => {
        const { restaurantId, ...args } = payload
        return voiceAi.confirmReservation(restaurantId, args)
      })
  }))
