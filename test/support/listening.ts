import { Effect } from "effect"
import type { Server } from "node:http"
import type { AddressInfo } from "node:net"

/** A node server on a loopback port of the system's choice: its port; closed with the scope, connections first. */
export const listening = (server: Server) =>
  Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** The base URL of a server `listening` on `port`. */
export const loopbackUrl = (port: number) => `http://127.0.0.1:${port}`
