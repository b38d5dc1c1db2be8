import type { ServeError } from "@effect/platform/HttpServerError"
import { Data } from "effect"

/** Why the server cannot listen, in one line an operator can act on: no stack trace. */
export class ListenError extends Data.TaggedError("ListenError")<{ readonly message: string }> {}

const reasons: Record<string, string> = {
  EADDRINUSE: "another process is listening there; stop it or set PORT to a free port",
  EACCES: "not permitted (ports below 1024 need privileges); set PORT to 1024 or above",
  EADDRNOTAVAIL: "this machine has no such address; set HOST to one of its own",
  ENOTFOUND: "no such host name; set HOST to an address of this machine"
}

export const listenError = (error: ServeError, host: string, port: number): ListenError => {
  const cause = error.cause as Partial<NodeJS.ErrnoException> | undefined
  const known = cause?.code === undefined ? undefined : reasons[cause.code]
  const reason = known ?? (cause?.message !== undefined && cause.message !== "" ? cause.message : String(error.cause))
  const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`
  return new ListenError({ message: `cannot listen on ${address}: ${reason}` })
}
