import { JSONSchema, Schema } from "effect"
import type { Language } from "./ai-prompt.js"
import { Email, Label, LocalDate, Name, Phone, Tags, Text, TimeOfDay } from "./fields.js"
import { DiningServiceId, OfferId } from "./ids.js"

/** the functions the voice AI may call, and the decoding of its calls. */

/** Without Schema.Int's identifier, so the JSON Schema holds no $ref. */
const PartySize = Schema.Number.pipe(Schema.int(), Schema.between(1, 100_000))

export const CheckAvailabilityArgs = Schema.Struct({
  date: LocalDate,
  time: Schema.optional(TimeOfDay),
  party_size: PartySize,
  service_id: Schema.optional(DiningServiceId)
})
export type CheckAvailabilityArgs = typeof CheckAvailabilityArgs.Type

/**
 * The number the model heard: at least six digits, with the spaces, dots, dashes, slashes and
 * brackets people say them with, a `+` first. A transcript such as "call me back" is refused, so
 * the assistant asks again rather than booking a guest no one can reach.
 */
const spokenPhone = /^\+?(?:[\s().\-/]*\d){6,}[\s().\-/]*$/
const SpokenPhone = Phone.pipe(
  Schema.pattern(spokenPhone, { message: () => "must be a phone number, e.g. +33 6 12 34 56 78" })
).annotations({
  // Phone trims, and a transformation's JSON Schema is its encoded side's: the model is shown the shape itself.
  jsonSchema: { type: "string", maxLength: 40, pattern: spokenPhone.source }
})

export const ConfirmReservationArgs = Schema.Struct({
  customer_name: Name,
  customer_phone: SpokenPhone,
  customer_email: Schema.optional(Email),
  party_size: PartySize,
  date: LocalDate,
  time: TimeOfDay,
  service_id: Schema.optional(DiningServiceId),
  offer_id: Schema.optional(OfferId),
  notes: Schema.optional(Text),
  allergies: Schema.optional(Tags),
  occasion: Schema.optional(Label)
})
export type ConfirmReservationArgs = typeof ConfirmReservationArgs.Type

type Described<F> = { readonly [K in keyof F]: string }

const texts = {
  fr: {
    check: "Vérifie les créneaux disponibles pour une date et un nombre de personnes. " +
      "Chaque créneau indique son service (serviceId, serviceName) et les couverts restants.",
    confirm:
      "Crée la réservation une fois que le client a confirmé le créneau. Proposez les offres disponibles avant de confirmer.",
    date: "Date de la réservation, au format AAAA-MM-JJ (heure du restaurant).",
    time: "Heure souhaitée, au format HH:MM (heure du restaurant).",
    party_size: "Nombre de personnes, enfants compris.",
    service_id: "Identifiant du service choisi (service_id indiqué dans la liste des services).",
    offer_id: "Identifiant de l'offre choisie (offer_id indiqué dans la liste des offres).",
    customer_name: "Nom du client.",
    customer_phone: "Numéro de téléphone du client.",
    customer_email:
      "Adresse e-mail du client, s'il la donne (certaines plateformes de réservation en ont besoin : demandez-la si la confirmation répond email_needed).",
    notes: "Remarques du client pour le restaurant.",
    allergies: "Allergies signalées par le client, une par élément.",
    occasion: "Occasion particulière (anniversaire, affaires…)."
  },
  en: {
    check:
      "Checks the available slots for a date and party size. Each slot names its service (serviceId, serviceName) and the covers left.",
    confirm:
      "Creates the reservation once the guest has confirmed the slot. Suggest the available offers before confirming.",
    date: "Reservation date, as YYYY-MM-DD (restaurant time).",
    time: "Requested time, as HH:MM (restaurant time).",
    party_size: "Number of guests, children included.",
    service_id: "Id of the chosen service (the service_id given in the list of services).",
    offer_id: "Id of the chosen offer (the offer_id given in the list of offers).",
    customer_name: "Guest's name.",
    customer_phone: "Guest's phone number.",
    customer_email:
      "Guest's e-mail address, when they give it (some booking platforms need one: ask for it when the confirmation answers email_needed).",
    notes: "Guest's remarks for the restaurant.",
    allergies: "Allergies the guest mentioned, one per item.",
    occasion: "Special occasion (birthday, business…)."
  }
} as const

/** Effect's generated titles and descriptions speak to developers; the model gets ours. */
const withoutGeneratedText = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutGeneratedText)
  if (typeof node !== "object" || node === null) return node
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "title" && key !== "description" && key !== "$schema")
      .map(([key, value]) => [key, withoutGeneratedText(value)])
  )
}

export const toolParameters = <F extends Schema.Struct.Fields>(
  schema: Schema.Struct<F>,
  descriptions: Described<F>
): JSONSchema.JsonSchema7Object => {
  const root = withoutGeneratedText(JSONSchema.make(schema)) as JSONSchema.JsonSchema7Object
  const properties: Record<string, JSONSchema.JsonSchema7> = {}
  for (const [key, property] of Object.entries(root.properties)) {
    properties[key] = { ...property, description: descriptions[key as keyof F] }
  }
  return { ...root, properties }
}

export interface FunctionTool {
  readonly type: "function"
  readonly name: "check_availability" | "confirm_reservation"
  readonly description: string
  readonly parameters: JSONSchema.JsonSchema7Object
}

/** OpenAI (Realtime) function-calling definitions, described in the restaurant's language. */
export const voiceAiTools = (language: Language = "fr"): ReadonlyArray<FunctionTool> => {
  const t = texts[language]
  return [
    {
      type: "function",
      name: "check_availability",
      description: t.check,
      parameters: toolParameters(CheckAvailabilityArgs, t)
    },
    {
      type: "function",
      name: "confirm_reservation",
      description: t.confirm,
      parameters: toolParameters(ConfirmReservationArgs, t)
    }
  ]
}
