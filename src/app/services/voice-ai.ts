import { Clock, Effect, Either, Option, Schema } from "effect"
import { buildOffersText, buildServicesText, type Language } from "../../domain/ai-prompt.js"
import { CheckAvailabilityArgs, ConfirmReservationArgs, voiceAiTools } from "../../domain/ai-tools.js"
import { type BookingRefusal, masterMayOverrule, type MatchedService } from "../../domain/availability.js"
import { DiningServiceId, type OfferId, RestaurantId } from "../../domain/ids.js"
import { instantToLocal, localToInstant } from "../../domain/local-time.js"
import { withChangeOrigin } from "../../ports/change-feed.js"
import * as Repos from "../../ports/entity-repository.js"
import { traced } from "../../ports/traced.js"
import { BookingRefused, invalidField } from "../errors.js"
import { allOfRestaurant } from "../paging.js"
import { requireRestaurant } from "./access.js"
import { Availability, type AvailableSlot, type MasterLack } from "./availability.js"
import { LocalChanges } from "./local-changes.js"
import { RestaurantSettingsService } from "./restaurant-settings.js"

export const VoiceAiLanguage = Schema.Literal("fr", "en")

export const VoiceAiSlot = Schema.Struct({
  time: Schema.String,
  localTime: Schema.String,
  serviceId: Schema.NullOr(DiningServiceId),
  serviceName: Schema.NullOr(Schema.String),
  remainingCovers: Schema.Int
})

const FunctionToolView = Schema.Struct({
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

/**
 * what the restaurant's voice AI is told (prompt sections, tool definitions) and what its
 * tool calls do. A booking it confirms is a local change like any other, so it syncs outbound.
 */
export class VoiceAi extends Effect.Service<VoiceAi>()("VoiceAi", {
  effect: Effect.gen(function*() {
    const availability = yield* Availability
    const changes = yield* LocalChanges
    const transactor = yield* Repos.Transactor
    const services = yield* Repos.DiningServiceRepository
    const rooms = yield* Repos.DiningRoomRepository
    const offers = yield* Repos.OfferRepository
    const menuItems = yield* Repos.MenuItemRepository
    const reservations = yield* Repos.ReservationRepository
    // Services are wall-clock times, reservations instants: the restaurant's own zone
    // joins them, never one a request names (issue 20, item 5).
    const settings = yield* RestaurantSettingsService

    const context = (restaurantId: RestaurantId, language: Language) =>
      Effect.gen(function*() {
        const timezone = yield* settings.timezoneOf(restaurantId)
        const [allServices, allRooms, allOffers, allItems, bookedOnPlatform] = yield* Effect.all([
          allOfRestaurant(services, restaurantId),
          allOfRestaurant(rooms, restaurantId),
          allOfRestaurant(offers, restaurantId),
          allOfRestaurant(menuItems, restaurantId),
          availability.hasMaster(restaurantId)
        ], { concurrency: 5 })
        // Offers expire on the restaurant's calendar, not the server's.
        const today = instantToLocal(new Date(yield* Clock.currentTimeMillis), timezone).date
        return {
          servicesText: buildServicesText(allServices, {
            language,
            rooms: allRooms,
            currency: allItems[0]?.currency ?? "EUR",
            bookedOnPlatform
          }),
          offersText: buildOffersText(allOffers, { language, today, menuItems: allItems }),
          tools: voiceAiTools(language)
        }
      }).pipe(traced("VoiceAi.context", { attributes: { restaurantId, language } }))

    const offered = (slots: ReadonlyArray<AvailableSlot>, args: Pick<CheckAvailabilityArgs, "service_id" | "time">) =>
      slots.filter((s) =>
        (args.service_id === undefined || s.serviceId === args.service_id) &&
        (args.time === undefined || s.localTime === args.time)
      )

    const slotAt = (slots: ReadonlyArray<AvailableSlot>, at: Date) =>
      Option.fromNullable(slots.find((s) => Date.parse(s.time) === at.getTime()))

    const checkAvailability = (restaurantId: RestaurantId, args: CheckAvailabilityArgs) =>
      Effect.gen(function*() {
        const timezone = yield* settings.timezoneOf(restaurantId)
        return offered(yield* availability.slots(restaurantId, args.date, args.party_size, timezone), args)
      }).pipe(traced("VoiceAi.checkAvailability", { attributes: { restaurantId, date: args.date } }))

    /**
     * Confirmation takes only what check_availability would offer for that service day: a time
     * between two slots (19:10 on a quarter-hour grid) is refused with the nearest ones, so the
     * AI never confirms a booking its own check denied (issue 20, item 5).
     */
    const notOffered = (
      restaurantId: RestaurantId,
      args: ConfirmReservationArgs,
      at: Date,
      serviceDate: string,
      timezone: string
    ) =>
      Effect.gen(function*() {
        const slots = yield* availability.slots(restaurantId, serviceDate, args.party_size, timezone)
        const candidates = offered(slots, { service_id: args.service_id, time: undefined })
        if (Option.isSome(slotAt(candidates, at))) return Option.none<BookingRefused>()
        const nearest = [...candidates]
          .sort((a, b) => Math.abs(Date.parse(a.time) - at.getTime()) - Math.abs(Date.parse(b.time) - at.getTime()))
          .slice(0, 2)
          .map((s) => s.localTime)
          .sort()
        return Option.some(
          new BookingRefused({
            reason: "not_a_slot",
            message: nearest.length === 0
              ? `${args.date} ${args.time} is not a bookable time.`
              : `${args.time} is not a bookable time; the nearest are ${nearest.join(" and ")}.`
          })
        )
      })

    const offerOf = (restaurantId: RestaurantId, offerId: OfferId | undefined) =>
      offerId === undefined
        ? Effect.succeed(null)
        : offers.get(offerId).pipe(
          Effect.filterOrFail((o) => o.restaurantId === restaurantId, () =>
            invalidField("offer_id", `no offer ${offerId} in restaurant ${restaurantId}`)),
          Effect.catchTag("EntityNotFound", () =>
            Effect.fail(invalidField("offer_id", `no offer ${offerId} in restaurant ${restaurantId}`)))
        )

    /**
     * where a platform is master of reservations, its book is the truth, not our services:
     * a time it offers is bookable even where the local services say closed or full (a restaurant
     * that keeps its book on TheFork need not describe its services here too). The slot's service,
     * when one here is mapped to it or holds that time, is the booking's. A master that cannot
     * answer leaves the local refusal standing.
     */
    const offeredByMaster = (restaurantId: RestaurantId, args: ConfirmReservationArgs, at: Date, timezone: string) =>
      availability.masterSlots(restaurantId, args.date, args.party_size, timezone).pipe(
        Effect.map(
          Option.flatMap((slots) => slotAt(offered(slots, { service_id: args.service_id, time: undefined }), at))
        ),
        Effect.catchAll(() => Effect.succeed(Option.none<AvailableSlot>()))
      )

    /** The local refusal stands, unless a master platform's book offers that time: then its slot's service, or none. */
    const refusedUnlessMasterOffers = (
      restaurantId: RestaurantId,
      args: ConfirmReservationArgs,
      at: Date,
      timezone: string,
      refusal: BookingRefusal
    ) =>
      Effect.gen(function*() {
        if (refusal.reason === "unknown_service") return yield* invalidField("service_id", refusal.message)
        const inThePast = at.getTime() < (yield* Clock.currentTimeMillis)
        const slot = masterMayOverrule(refusal.reason) && !inThePast
          ? yield* offeredByMaster(restaurantId, args, at, timezone)
          : Option.none()
        if (Option.isNone(slot)) return yield* new BookingRefused({ reason: refusal.reason, message: refusal.message })
        const serviceId = slot.value.serviceId
        return serviceId === null ? null : yield* Effect.orDie(services.get(serviceId))
      })

    /** The local book's service, once check_availability would offer that time too (issue 20, item 5). */
    const offeredLocally = (
      restaurantId: RestaurantId,
      args: ConfirmReservationArgs,
      at: Date,
      timezone: string,
      match: MatchedService
    ) =>
      Effect.gen(function*() {
        const refusal = yield* notOffered(restaurantId, args, at, match.serviceDate, timezone).pipe(
          // A master platform that cannot answer leaves the local check's word standing.
          Effect.catchAll(() => Effect.succeed(Option.none<BookingRefused>()))
        )
        if (Option.isSome(refusal)) return yield* refusal.value
        return match.service
      })

    /**
     * a booking must reach the platform that keeps the restaurant's book. A guest it cannot
     * book (TheFork, without an e-mail, for a phone number it does not know) is refused before
     * anything is written, so the AI asks for what is missing rather than promise a table that book
     * never hears of. A platform that cannot answer leaves the booking to its push, as usual.
     */
    const bookableOnMaster = (restaurantId: RestaurantId, args: ConfirmReservationArgs) =>
      Effect.gen(function*() {
        const lack = yield* availability.masterLacks(restaurantId, {
          customerPhone: args.customer_phone,
          customerEmail: args.customer_email
        }).pipe(Effect.orElseSucceed(() => Option.none<MasterLack>()))
        if (Option.isNone(lack)) return
        return yield* new BookingRefused({
          reason: "email_needed",
          message: `The restaurant keeps its bookings on ${lack.value.platform}, which needs the guest's e-mail ` +
            "to book them: ask for it, then confirm again with customer_email."
        })
      })

    const confirmReservation = (restaurantId: RestaurantId, args: ConfirmReservationArgs) =>
      Effect.gen(function*() {
        const timezone = yield* settings.timezoneOf(restaurantId)
        const at = localToInstant(args.date, args.time, timezone)
        if (Option.isNone(at)) {
          return yield* new BookingRefused({
            reason: "closed",
            message: `${args.date} ${args.time} does not exist in ${timezone} (clock change).`
          })
        }
        const offer = yield* offerOf(restaurantId, args.offer_id)
        // The check and the write are one step per restaurant: two calls cannot both take the last covers.
        yield* transactor.serialize(`voice-ai-booking:${restaurantId}`)
        const decision = yield* availability.check(restaurantId, {
          time: at.value.toISOString(),
          partySize: args.party_size,
          serviceId: args.service_id,
          offer,
          timezone
        })
        const service = yield* Either.match(decision, {
          onLeft: (refusal) => refusedUnlessMasterOffers(restaurantId, args, at.value, timezone, refusal),
          onRight: (match) => offeredLocally(restaurantId, args, at.value, timezone, match)
        })
        yield* bookableOnMaster(restaurantId, args)
        return yield* changes.create(reservations, {
          restaurantId,
          customerId: null,
          customerName: args.customer_name,
          customerPhone: args.customer_phone,
          customerEmail: args.customer_email ?? null,
          partySize: args.party_size,
          adults: null,
          children: null,
          reservationTime: at.value.toISOString(),
          // The service's meal length, as the platforms are told it; they fill in their own otherwise.
          durationMin: service?.defaultDurationMin ?? null,
          // A service that wants to approve its bookings gets them pending (autoConfirm, R-2.2).
          status: service === null || service.autoConfirm ? "confirmed" : "pending",
          source: "ai",
          notes: args.notes ?? null,
          allergies: args.allergies ?? [],
          dietaryRestrictions: [],
          occasion: args.occasion ?? null,
          serviceId: service?.id ?? null,
          offerId: offer?.id ?? null,
          diningRoomId: null,
          tableIds: []
        })
      }).pipe(
        transactor.withTransaction,
        // Issue 21: the booking is logged as the voice AI's.
        withChangeOrigin("ai"),
        traced("VoiceAi.confirmReservation", {
          attributes: { restaurantId, date: args.date, time: args.time }
        })
      )

    // Issue 17: the voice AI's key names its restaurant; another restaurant's id is refused.
    return {
      context: (restaurantId: RestaurantId, language: Language) =>
        Effect.zipRight(requireRestaurant(restaurantId), context(restaurantId, language)),
      checkAvailability: (restaurantId: RestaurantId, args: CheckAvailabilityArgs) =>
        Effect.zipRight(requireRestaurant(restaurantId), checkAvailability(restaurantId, args)),
      confirmReservation: (restaurantId: RestaurantId, args: ConfirmReservationArgs) =>
        Effect.zipRight(requireRestaurant(restaurantId), confirmReservation(restaurantId, args))
    }
  }),
  dependencies: [Availability.Default, LocalChanges.Default, RestaurantSettingsService.Default]
}) {}
