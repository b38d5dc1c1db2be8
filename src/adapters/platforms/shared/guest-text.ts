/**
 * Guest text as the reservation platforms carry it. Comments are their only free text, so
 * allergies, diet and occasion travel there as labelled lines, written and read one way for
 * every platform that has no field of its own for them.
 */

export interface CommentParts {
  readonly notes?: string | undefined
  readonly allergies?: ReadonlyArray<string> | undefined
  readonly dietaryRestrictions?: ReadonlyArray<string> | undefined
  readonly occasion?: string | undefined
}

const labels = { allergies: "Allergies", dietaryRestrictions: "Dietary restrictions", occasion: "Occasion" } as const

export const composeComments = (p: CommentParts): string => {
  const lines: Array<string> = []
  if (p.notes !== undefined && p.notes.trim() !== "") lines.push(p.notes.trim())
  if (p.allergies !== undefined && p.allergies.length > 0) lines.push(`${labels.allergies}: ${p.allergies.join(", ")}`)
  if (p.dietaryRestrictions !== undefined && p.dietaryRestrictions.length > 0) {
    lines.push(`${labels.dietaryRestrictions}: ${p.dietaryRestrictions.join(", ")}`)
  }
  if (p.occasion !== undefined && p.occasion.trim() !== "") lines.push(`${labels.occasion}: ${p.occasion.trim()}`)
  return lines.join("\n")
}

const list = (s: string) => s.split(",").map((x) => x.trim()).filter((x) => x !== "")

export const parseComments = (text: string | null | undefined): CommentParts => {
  const notes: Array<string> = []
  let allergies: Array<string> | undefined
  let dietaryRestrictions: Array<string> | undefined
  let occasion: string | undefined
  for (const line of (text ?? "").split(/\r?\n/)) {
    const m = /^\s*(allergies|dietary restrictions|occasion)\s*:\s*(.*)$/i.exec(line)
    const label = m?.[1]?.toLowerCase()
    const value = m?.[2] ?? ""
    if (label === "allergies") allergies = list(value)
    else if (label === "dietary restrictions") dietaryRestrictions = list(value)
    else if (label === "occasion") occasion = value.trim() || undefined
    else notes.push(line)
  }
  const joined = notes.join("\n").trim()
  return { notes: joined === "" ? undefined : joined, allergies, dietaryRestrictions, occasion }
}

/** "Ana Ruiz Soto" → Ana / Ruiz Soto; a single word is a last name (what a restaurant calls out). */
export const splitName = (name: string): { readonly firstName: string; readonly lastName: string } => {
  const words = name.trim().split(/\s+/).filter((w) => w !== "")
  return words.length <= 1
    ? { firstName: "", lastName: words[0] ?? "" }
    : { firstName: words[0]!, lastName: words.slice(1).join(" ") }
}

export const present = (s: string | null | undefined): s is string => s !== undefined && s !== null && s.trim() !== ""

/** First and last name as one, skipping the empty parts. */
export const fullName = (firstName: string | null | undefined, lastName: string | null | undefined): string =>
  [firstName, lastName].filter(present).map((s) => s.trim()).join(" ")
