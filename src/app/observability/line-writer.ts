/**
 * Lines leave in one write per turn of the event loop rather than one write each: with stdout a
 * file or a pipe every write is a system call, and on the sync thread a message to the main one.
 * A line written during a turn is out once that turn's I/O is handled; what is still waiting when
 * the process exits is written then.
 */
export interface LineWriter {
  readonly write: (line: string) => void
  readonly flush: () => void
}

export const makeLineWriter = (out: (text: string) => void): LineWriter => {
  let pending: Array<string> = []
  const flush = () => {
    if (pending.length === 0) return
    const text = `${pending.join("\n")}\n`
    pending = []
    out(text)
  }
  return {
    write: (line) => {
      if (pending.length === 0) setImmediate(flush)
      pending.push(line)
    },
    flush
  }
}

let stdout: LineWriter | undefined

/** The process's stdout, as one writer however many loggers write to it. */
export const stdoutLines = (): LineWriter => {
  if (stdout === undefined) {
    const writer = makeLineWriter((text) => void process.stdout.write(text))
    process.once("exit", writer.flush)
    // A reader gone (`npm start | head`) must not end the service: its lines are lost, as
    // console.log would lose them, and the error is not left unhandled.
    process.stdout.on("error", () => {})
    stdout = writer
  }
  return stdout
}
