import { isBookableOffer, isBookableService, serviceWindow } from "./availability.js"
import type { DiningRoom, DiningService, MenuItem, Offer } from "./entities.js"
import { formatMinutes } from "./local-time.js"

/** R-11.1: the prompt sections of the restaurant's voice AI, in the restaurant's language. */
export type Language = "fr" | "en"

const words = {
  fr: {
    days: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    everyDay: "tous les jours",
    dayRange: (a: string, b: string) => `du ${a} au ${b}`,
    and: "et",
    clock: (m: number) => formatMinutes(m).replace(":", "h"),
    servicesHeading: "## Services",
    noService: "Aucun service n'est ouvert à la réservation.",
    bookFromPlatform:
      "Les horaires ouverts à la réservation sont ceux du carnet de réservation du restaurant : demandez-les avec check_availability pour une date et un nombre de personnes.",
    serviceType: { standard: null, brunch: "brunch", evenement: "événement" },
    lastSeating: (t: string) => `dernière arrivée ${t}`,
    covers: (n: number) => `${n} couverts maximum`,
    duration: (d: string) => `durée par défaut ${d}`,
    minutes: (
      h: number,
      m: number
    ) => (h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, "0")}`),
    prepayment: (amount: string | null) => (amount === null ? "prépaiement requis" : `prépaiement requis : ${amount}`),
    noPrepayment: "pas de prépaiement",
    needsApproval: "réservation à confirmer par le restaurant",
    rooms: (names: string) => `salles : ${names}`,
    colon: " :",
    separator: " ; ",
    offersHeading: "## Offres réservables",
    offersHint: "Proposez ces offres au client lors de la réservation et passez leur offer_id à confirm_reservation.",
    noOffer: "Aucune offre réservable en ce moment.",
    offerType: { menu: "menu", promo: "promotion", happy_hour: "happy hour", evenement: "événement" },
    party: (min: number | null, max: number | null) =>
      min !== null && max !== null
        ? `De ${min} à ${max} personnes.`
        : min !== null
        ? `À partir de ${min} personnes.`
        : `Jusqu'à ${max} personnes.`,
    period: (from: string | null, to: string | null) =>
      from !== null && to !== null
        ? `Du ${from} au ${to}.`
        : from !== null
        ? `À partir du ${from}.`
        : `Jusqu'au ${to}.`,
    permanent: "Offre permanente.",
    formula: (name: string, price: string) => `Formule : ${name} (${price}).`,
    discount: (p: number) => `Remise de ${p} %.`,
    offerPrepayment: (amount: string | null, perPerson: boolean) =>
      amount === null
        ? "Prépaiement requis."
        : `Prépaiement de ${amount} ${perPerson ? "par personne" : "par réservation"}.`
  },
  en: {
    days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    everyDay: "every day",
    dayRange: (a: string, b: string) => `${a} to ${b}`,
    and: "and",
    clock: formatMinutes,
    servicesHeading: "## Services",
    noService: "No service is open for booking.",
    bookFromPlatform:
      "The times open for booking are those of the restaurant's booking book: ask check_availability for a date and party size.",
    serviceType: { standard: null, brunch: "brunch", evenement: "event" },
    lastSeating: (t: string) => `last seating ${t}`,
    covers: (n: number) => `up to ${n} covers`,
    duration: (d: string) => `default duration ${d}`,
    minutes: (h: number, m: number) => (h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`),
    prepayment: (amount: string | null) => (amount === null ? "prepayment required" : `prepayment required: ${amount}`),
    noPrepayment: "no prepayment",
    needsApproval: "bookings confirmed by the restaurant",
    rooms: (names: string) => `rooms: ${names}`,
    colon: ":",
    separator: "; ",
    offersHeading: "## Bookable offers",
    offersHint: "Suggest these offers when taking a booking and pass their offer_id to confirm_reservation.",
    noOffer: "No bookable offer at the moment.",
    offerType: { menu: "set menu", promo: "promotion", happy_hour: "happy hour", evenement: "event" },
    party: (min: number | null, max: number | null) =>
      min !== null && max !== null
        ? `For ${min} to ${max} guests.`
        : min !== null
        ? `For ${min} guests or more.`
        : `For up to ${max} guests.`,
    period: (from: string | null, to: string | null) =>
      from !== null && to !== null ? `From ${from} to ${to}.` : from !== null ? `From ${from}.` : `Until ${to}.`,
    permanent: "Permanent offer.",
    formula: (name: string, price: string) => `Set menu: ${name} (${price}).`,
    discount: (p: number) => `${p}% off.`,
    offerPrepayment: (amount: string | null, perPerson: boolean) =>
      amount === null ? "Prepayment required." : `Prepayment of ${amount} ${perPerson ? "per guest" : "per booking"}.`
  }
} as const

/** Plain spaces: Intl's narrow no-break spaces add nothing for a language model. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ")
const money = (language: Language, amount: number, currency: string) =>
  plain(new Intl.NumberFormat(language, { style: "currency", currency }).format(amount))
const longDate = (language: Language, date: string) =>
  new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`))

const list = (language: Language, items: ReadonlyArray<string>) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${words[language].and} ${items.at(-1)}`

/** Runs of three days or more read as a range: "du mardi au samedi". */
export const describeDays = (language: Language, days: ReadonlyArray<number>): string => {
  const w = words[language]
  const sorted = [...new Set(days)].sort((a, b) => a - b)
  if (sorted.length === 7) return w.everyDay
  const runs: Array<Array<number>> = []
  for (const day of sorted) {
    const run = runs.at(-1)
    if (run !== undefined && run.at(-1) === day - 1) run.push(day)
    else runs.push([day])
  }
  const name = (d: number) => w.days[d - 1]!
  const parts = runs.flatMap((
    run
  ) => (run.length >= 3 ? [w.dayRange(name(run[0]!), name(run.at(-1)!))] : run.map(name)))
  return list(language, parts)
}

export const buildServicesText = (
  services: ReadonlyArray<DiningService>,
  options: {
    readonly language?: Language
    readonly rooms?: ReadonlyArray<DiningRoom>
    readonly currency?: string
    /** A platform is master of reservations: its book, not these services, says what is open (R-11.2). */
    readonly bookedOnPlatform?: boolean
  }
): string => {
  const language = options.language ?? "fr"
  const w = words[language]
  const fromPlatform = options.bookedOnPlatform === true ? [w.bookFromPlatform] : []
  const shown = services
    .filter(isBookableService)
    .sort((a, b) =>
      Math.min(...a.dayOfWeek) - Math.min(...b.dayOfWeek) || a.startTime.localeCompare(b.startTime) ||
      a.name.localeCompare(b.name)
    )
  if (shown.length === 0) {
    return [w.servicesHeading, ...(fromPlatform.length > 0 ? fromPlatform : [w.noService])].join("\n")
  }
  const line = (s: DiningService) => {
    const window = serviceWindow(s)
    const type = w.serviceType[s.type]
    const roomNames = (s.diningRoomIds ?? []).flatMap((id) => options.rooms?.find((r) => r.id === id)?.name ?? [])
    const duration = w.minutes(Math.floor(s.defaultDurationMin / 60), s.defaultDurationMin % 60)
    const amount = s.prepaymentAmount === null ? null : money(language, s.prepaymentAmount, options.currency ?? "EUR")
    const facts = [
      `${describeDays(language, s.dayOfWeek)}, ${w.clock(window.start)}–${w.clock(window.end)}, ${
        w.lastSeating(w.clock(window.lastSeating))
      }`,
      w.covers(s.maxCovers),
      w.duration(duration),
      s.requiresPrepayment ? w.prepayment(amount) : w.noPrepayment,
      ...(roomNames.length > 0 ? [w.rooms(roomNames.join(", "))] : []),
      ...(s.autoConfirm ? [] : [w.needsApproval])
    ]
    return `- ${s.name}${type === null ? "" : ` (${type})`} [service_id: ${s.id}]${w.colon} ${facts.join(w.separator)}.`
  }
  return [w.servicesHeading, ...shown.map(line), ...fromPlatform].join("\n")
}

/**
 * Offers not yet started are announced with their dates, so a guest booking ahead hears of them;
 * expired ones (endDate before today) never appear.
 */
export const buildOffersText = (
  offers: ReadonlyArray<Offer>,
  options: { readonly language?: Language; readonly today: string; readonly menuItems?: ReadonlyArray<MenuItem> }
): string => {
  const language = options.language ?? "fr"
  const w = words[language]
  const shown = offers
    .filter((o) => isBookableOffer(o) && (o.endDate === null || o.endDate >= options.today))
    .sort((a, b) => a.name.localeCompare(b.name, language) || a.id.localeCompare(b.id))
  if (shown.length === 0) return `${w.offersHeading}\n${w.noOffer}`
  const line = (o: Offer) => {
    const item = o.menuItemId === null ? undefined : options.menuItems?.find((m) => m.id === o.menuItemId)
    const description = o.description?.trim() ?? ""
    const amount = o.prepaymentAmount === null ? null : money(language, o.prepaymentAmount, item?.currency ?? "EUR")
    const facts = [
      ...(description === "" ? [] : [/[.!?]$/.test(description) ? description : `${description}.`]),
      ...(o.minPartySize === null && o.maxPartySize === null ? [] : [w.party(o.minPartySize, o.maxPartySize)]),
      o.startDate === null && o.endDate === null
        ? w.permanent
        : w.period(o.startDate && longDate(language, o.startDate), o.endDate && longDate(language, o.endDate)),
      ...(item === undefined ? [] : [w.formula(item.name, money(language, item.price, item.currency))]),
      ...(o.discountPercent === null ? [] : [w.discount(o.discountPercent)]),
      ...(o.hasPrepayment ? [w.offerPrepayment(amount, o.prepaymentType === "per_person")] : [])
    ]
    return `- ${o.name} (${w.offerType[o.type]}) [offer_id: ${o.id}]${w.colon} ${facts.join(" ")}`
  }
  return [w.offersHeading, w.offersHint, ...shown.map(line)].join("\n")
}
