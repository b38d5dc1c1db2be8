import { Arbitrary, FastCheck } from "effect"
import { type Reservation, Reservation as ReservationSchema, reservation } from "../../src/domain/entities.js"

/** Spellings that collide once trimmed and lower-cased, plus blanks, so unions have work to do. */
export const allergy = FastCheck.oneof(
  FastCheck.constantFrom(
    "gluten",
    "Gluten",
    " gluten ",
    "peanuts",
    "PEANUTS",
    "sesame",
    "lait",
    "tree  nuts",
    "Tree nuts",
    "",
    "  "
  ),
  FastCheck.string({ maxLength: 8 })
)
export const allergies = FastCheck.array(allergy, { maxLength: 8 })

/** A stored reservation, with allergies drawn from the colliding pool. */
export const reservationArb: FastCheck.Arbitrary<Reservation> = FastCheck.tuple(
  Arbitrary.make(ReservationSchema),
  allergies
).map(
  ([r, a]) => ({ ...r, allergies: a })
)

const editableFields = Object.keys(reservation.fields) as ReadonlyArray<keyof typeof reservation.Patch.Type>

/** A platform's partial view, where some fields are explicitly `undefined` (not said, not cleared). */
export const remoteArb: FastCheck.Arbitrary<Partial<Reservation>> = FastCheck.tuple(
  Arbitrary.make(reservation.Patch),
  FastCheck.subarray([...editableFields]),
  FastCheck.option(allergies, { nil: undefined })
).map(([patch, unsaid, a]) => ({
  ...patch,
  ...Object.fromEntries(unsaid.map((field) => [field, undefined])),
  ...(a === undefined ? {} : { allergies: a })
}))
