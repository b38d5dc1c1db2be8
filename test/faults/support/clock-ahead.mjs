// Preloaded (node --import) into a service process and its sync thread: their clock runs
// CLOCK_AHEAD_MS ahead of the machine's, as an instance with a drifting clock would.
const offset = Number(process.env.CLOCK_AHEAD_MS ?? 0)
const RealDate = globalThis.Date

class AheadDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset)
    else super(...args)
  }

  static now() {
    return RealDate.now() + offset
  }
}

globalThis.Date = AheadDate
