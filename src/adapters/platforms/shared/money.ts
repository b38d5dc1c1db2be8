/**
 * The delivery platforms count money in minor units (Uber `price_info.price: 300`, Deliveroo
 * `{fractional: 2450}`); our entities hold decimals. The exponent comes from ISO 4217 through
 * Intl (EUR 2, JPY 0, KWD 3), so a yen price is not divided by a hundred.
 */
const exponentOf = (currency: string): number => {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

export const fromMinorUnits = (minor: number, currency: string): number => {
  const digits = exponentOf(currency)
  return Number((minor / 10 ** digits).toFixed(digits))
}

export const toMinorUnits = (amount: number, currency: string): number =>
  Math.round(amount * 10 ** exponentOf(currency))
