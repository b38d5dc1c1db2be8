import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import Undici from "@effect/platform-node/Undici"
import { Effect, Layer } from "effect"
import { isIP } from "node:net"
import {
  type EgressPolicy,
  EgressRefused,
  type EgressResolve,
  guardedLookup,
  isAllowedAddress,
  isAllowedHost
} from "./egress.js"

/**
 * The connections of every connector: each one checked by the egress policy before it is opened.
 * An IP literal is checked as it is (net.connect does not look it up); a name is resolved once,
 * by the guarded lookup, and the socket connects to the address it checked. Plain http goes only
 * to hosts the allowlist names.
 */
export const makeEgressDispatcher = (policy: EgressPolicy, resolve?: EgressResolve) => {
  const connectChecked = Undici.buildConnector({ lookup: guardedLookup(policy, resolve) })
  const connect: Undici.buildConnector.connector = (options, callback) => {
    const host = options.hostname.replace(/^\[(.*)\]$/, "$1")
    if (options.protocol !== "https:" && !isAllowedHost(policy, host)) return callback(new EgressRefused(), null)
    if (isIP(host) !== 0 && !isAllowedAddress(policy, host)) return callback(new EgressRefused(), null)
    connectChecked(options, callback)
  }
  return new Undici.Agent({ connect })
}

/** An HttpClient whose every connection passes the egress policy. */
export const EgressHttpClientLive = (policy: EgressPolicy, resolve?: EgressResolve) =>
  NodeHttpClient.layerUndiciWithoutDispatcher.pipe(
    Layer.provide(Layer.scoped(
      NodeHttpClient.Dispatcher,
      Effect.acquireRelease(
        Effect.sync(() => makeEgressDispatcher(policy, resolve)),
        (dispatcher) => Effect.promise(() => dispatcher.destroy())
      )
    ))
  )
