import * as dns from "node:dns"
import { BlockList, isIP, type LookupFunction } from "node:net"

/**
 * Issue 18, egress policy: credentials travel only to the platforms' production hosts, or to hosts
 * the server's PLATFORM_URL_ALLOWLIST names (simulators and tests on loopback). Two checks:
 * a config's URLs when it is saved or its connector built (`refusedUrls`), and every connection
 * after DNS resolution (`egressDispatcher`), so a public name resolving to an internal address is
 * refused too, and the address checked is the one connected to.
 */
export interface EgressPolicy {
  /** Host names and IP literals, lower case. Not a wildcard list: each host is named. */
  readonly allowedHosts: ReadonlyArray<string>
}

/** Nothing but the production URLs, no internal address: what production runs unless told. */
export const strictEgress: EgressPolicy = { allowedHosts: [] }

/** The message every refused destination gets: it says nothing about the host's open ports. */
export const EGRESS_REFUSED = "destination refused by the egress policy"

export class EgressRefused extends Error {
  override readonly name = "EgressRefused"
  readonly code = "EGRESS_REFUSED"
  constructor() {
    super(EGRESS_REFUSED)
  }
}

/** Whether `error` or one of its causes is a refusal of the policy. */
export const isEgressRefusal = (error: unknown): boolean => {
  for (
    let e = error, depth = 0;
    e !== null && typeof e === "object" && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if ((e as { name?: unknown }).name === "EgressRefused") return true
  }
  return false
}

const bare = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, "$1")

export const parseAllowlist = (text: string): EgressPolicy => ({
  allowedHosts: text.split(",").map((host) => bare(host.trim())).filter((host) => host !== "")
})

export const isAllowedHost = (policy: EgressPolicy, host: string) => policy.allowedHosts.includes(bare(host))

// Loopback, private, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254 included),
// carrier-grade NAT, documentation, benchmarking, multicast and reserved ranges.
const internal = new BlockList()
for (
  const [network, prefix] of [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.0.2.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["198.51.100.0", 24],
    ["203.0.113.0", 24],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4]
  ] as const
) internal.addSubnet(network, prefix, "ipv4")
for (
  const [network, prefix] of [
    ["::", 128],
    ["::1", 128],
    ["64:ff9b::", 96],
    ["100::", 64],
    ["2001:db8::", 32],
    ["fc00::", 7],
    ["fe80::", 10],
    ["fec0::", 10],
    ["ff00::", 8]
  ] as const
) internal.addSubnet(network, prefix, "ipv6")

// What `localhost` resolves to; not the rest of 127.0.0.0/8, which tests use for internal hosts.
const loopback = new BlockList()
loopback.addAddress("127.0.0.1", "ipv4")
loopback.addAddress("::1", "ipv6")

// IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry. (Node's BlockList would
// match every IPv4 address against a ::ffff:0:0/96 rule, so that range is not listed above.)
const mappedV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i
const mappedV4Hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i

const inList = (list: BlockList, address: string) => {
  const plain = bare(address)
  const hex = mappedV4Hex.exec(plain)
  const v4 = mappedV4.exec(plain)?.[1] ??
    (hex === null ? undefined : [...Buffer.from(hex[1]!.padStart(4, "0") + hex[2]!.padStart(4, "0"), "hex")].join("."))
  if (v4 !== undefined) return list.check(v4, "ipv4")
  const family = isIP(plain)
  return family === 4 ? list.check(plain, "ipv4") : family === 6 ? list.check(plain, "ipv6") : false
}

/**
 * An address a connection may go to: any public address; an internal one only when the allowlist
 * names it (or names `localhost`, for 127.0.0.1 and ::1). An allowed host NAME does not allow
 * the internal address it resolves to.
 */
export const isAllowedAddress = (policy: EgressPolicy, address: string) =>
  !inList(internal, address) ||
  isAllowedHost(policy, address) ||
  (isAllowedHost(policy, "localhost") && inList(loopback, address))

/** Why a credential's URL is refused, or undefined: the production origin over https, or an allowed host. */
export const urlRefusal = (policy: EgressPolicy, value: string, production: string): string | undefined => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return "must be an http(s) URL"
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http(s) URL"
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password"
  if (isAllowedHost(policy, url.hostname)) return undefined
  const origin = new URL(production).origin
  if (url.origin === origin) return undefined
  return url.protocol === "http:"
    ? "plain http is allowed only for hosts PLATFORM_URL_ALLOWLIST names"
    : `must be on ${origin}, or on a host PLATFORM_URL_ALLOWLIST names`
}

/** The URL fields of `credentials` the policy refuses, each with why (its value is never quoted). */
export const refusedUrls = (
  policy: EgressPolicy,
  productionUrls: Readonly<Record<string, string>>,
  credentials: Readonly<Record<string, unknown>>
): ReadonlyArray<{ readonly field: string; readonly message: string }> =>
  Object.entries(productionUrls).flatMap(([field, production]) => {
    const value = credentials[field]
    if (value === undefined) return []
    const message = typeof value === "string" ? urlRefusal(policy, value, production) : "must be an http(s) URL"
    return message === undefined ? [] : [{ field, message }]
  })

type Resolve = (
  hostname: string,
  callback: (error: Error | null, addresses: ReadonlyArray<dns.LookupAddress>) => void
) => void

const systemResolve: Resolve = (hostname, callback) =>
  dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => callback(error, addresses ?? []))

/**
 * A `lookup` for `net.connect` / `tls.connect` that hands over only the addresses the policy
 * allows: the socket then connects to an address that was checked (no second resolution that a
 * rebinding DNS server could answer differently).
 */
export const guardedLookup =
  (policy: EgressPolicy, resolve: Resolve = systemResolve): LookupFunction => (hostname, options, callback) => {
    resolve(hostname, (error, addresses) => {
      const wanted = addresses.filter((a) =>
        options.family === undefined || options.family === 0 || a.family === options.family
      )
      const allowed = wanted.filter((a) => isAllowedAddress(policy, a.address))
      if (error !== null || allowed.length === 0) {
        // A refused name fails like a name that does not resolve: no connection is tried.
        const refused = error ?? new EgressRefused()
        return options.all === true
          ? callback(refused as NodeJS.ErrnoException, [])
          : callback(refused as NodeJS.ErrnoException, "", 0)
      }
      if (options.all === true) return callback(null, allowed)
      const [first] = allowed
      callback(null, first!.address, first!.family)
    })
  }

export type { Resolve as EgressResolve }
