/**
 * linking what a restaurant already has to what a newly connected platform already has,
 * by name. A link is only made when it is certain; anything doubtful is reported, never guessed.
 */

/** "Salle Principale", "salle-principale " and "SALLE  PRINCIPALE" are one name; "Été" is "ete". */
export const normalizeName = (name: string): string =>
  name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()

export interface NameMatching<L, R> {
  readonly matched: ReadonlyArray<{ readonly local: L; readonly remote: R }>
  readonly unmatchedLocal: ReadonlyArray<L>
  /** Remotes neither linked nor candidate of an ambiguous local: the four lists never overlap. */
  readonly unmatchedRemote: ReadonlyArray<R>
  readonly ambiguous: ReadonlyArray<{ readonly local: L; readonly candidates: ReadonlyArray<R> }>
}

export interface NameMatchingOptions<L, R> {
  readonly localName: (local: L) => string
  readonly remoteName: (remote: R) => string
  /** A further condition on a same-named pair, such as a table's capacity. */
  readonly compatible?: (local: L, remote: R) => boolean
}

/**
 * A local is matched to a remote when that remote is its only compatible candidate and no other
 * local has it as only candidate; several candidates, or several locals claiming one remote, are
 * ambiguous. Names that normalize to nothing match nothing.
 */
export const matchByName = <L, R>(
  locals: ReadonlyArray<L>,
  remotes: ReadonlyArray<R>,
  options: NameMatchingOptions<L, R>
): NameMatching<L, R> => {
  const byName = new Map<string, Array<R>>()
  for (const remote of remotes) {
    const key = normalizeName(options.remoteName(remote))
    if (key !== "") byName.set(key, [...(byName.get(key) ?? []), remote])
  }
  const compatible = options.compatible ?? (() => true)
  const candidatesOf = locals.map((local) => {
    const candidates = byName.get(normalizeName(options.localName(local))) ?? []
    return { local, candidates: candidates.filter((r) => compatible(local, r)) }
  })
  const claims = new Map<R, number>()
  for (const { candidates } of candidatesOf) {
    if (candidates.length === 1) claims.set(candidates[0]!, (claims.get(candidates[0]!) ?? 0) + 1)
  }

  const matched: Array<{ local: L; remote: R }> = []
  const unmatchedLocal: Array<L> = []
  const ambiguous: Array<{ local: L; candidates: ReadonlyArray<R> }> = []
  for (const { candidates, local } of candidatesOf) {
    if (candidates.length === 0) unmatchedLocal.push(local)
    else if (candidates.length === 1 && claims.get(candidates[0]!) === 1) {
      matched.push({ local, remote: candidates[0]! })
    } else ambiguous.push({ local, candidates })
  }
  const involved = new Set<R>([...matched.map((m) => m.remote), ...ambiguous.flatMap((a) => a.candidates)])
  return { matched, unmatchedLocal, unmatchedRemote: remotes.filter((r) => !involved.has(r)), ambiguous }
}

/** A local table fits a platform table when its seats lie in the platform's [minSeats, seats]. */
export const tableCapacityCompatible = (
  local: { readonly seats: number },
  remote: { readonly seats: number; readonly minSeats?: number | undefined }
): boolean => local.seats >= (remote.minSeats ?? remote.seats) && local.seats <= remote.seats
