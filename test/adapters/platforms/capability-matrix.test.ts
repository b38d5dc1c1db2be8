import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { platformModules } from "../../../src/adapters/platforms/registry.js"
import { platforms } from "../../../src/domain/ids.js"
import {
  type CapabilityName,
  capabilityNames,
  type CapabilitySupport
} from "../../../src/ports/connector-capabilities.js"
import { readme } from "../../support/readme.js"

const words: Record<string, CapabilitySupport> = {
  "supported": "supported",
  "assumed (undocumented)": "assumed",
  "not offered by the platform": "not_offered"
}
const columns: Record<string, string> = {
  Zenchef: "zenchef",
  TheFork: "thefork",
  SevenRooms: "sevenrooms",
  "Uber Eats": "ubereats",
  Deliveroo: "deliveroo"
}

/** The README's capability matrix, as platform → capability → support. */
const readmeMatrix = () => {
  const lines = readme.split("\n")
  const header = lines.findIndex((l) => l.startsWith("| Capability |"))
  expect(header, "the README has a capability matrix").toBeGreaterThan(-1)
  const cells = (line: string) => line.split("|").slice(1, -1).map((c) => c.trim())
  const platformsOf = cells(lines[header]!).slice(1).map((name) => columns[name] ?? name)
  const matrix: Record<string, Record<string, CapabilitySupport | string>> = {}
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("| `")) break
    const [name, ...values] = cells(line)
    values.forEach((value, i) => {
      const platform = platformsOf[i]!
      matrix[platform] = { ...matrix[platform], [name!.replaceAll("`", "")]: words[value] ?? value }
    })
  }
  return matrix
}

// Issue 20, item 3: the README says, per platform and connector method of the design, whether the
// platform's API offers it; the registry's modules say the same, or this fails.
describe("the README's capability matrix is the registry's", () => {
  it("every platform and capability, cell for cell", () => {
    const registry = Object.fromEntries(platforms.map((p) => [p, { ...platformModules[p]!.capabilities }]))
    expect(readmeMatrix()).toEqual(registry)
  })

  it("a capability the matrix calls offered is a member of the connector port", () => {
    // The port's optional members carry them; names that are whole-menu or pull variants map here.
    const members: Record<CapabilityName, string> = {
      reservations: "reservations",
      availability: "availability",
      orders: "orders",
      menu: "menu",
      offerPush: "menu",
      offerPull: "offers",
      floorPlanPull: "floorPlan",
      floorPlanPush: "floorPlanPush",
      customerSync: "customerSync",
      customerPull: "customers",
      availabilityPush: "availabilityPush",
      store: "store"
    }
    for (const platform of platforms) {
      const source = fs.readFileSync(
        path.join(
          path.dirname(new URL(import.meta.url).pathname),
          "../../../src/adapters/platforms",
          platform,
          "connector.ts"
        ),
        "utf8"
      )
      for (const name of capabilityNames) {
        if (platformModules[platform]!.capabilities[name] === "not_offered") continue
        // Marketplaces read offers back from their menu pull (bundles), not from an offers member.
        const member = name === "offerPull" && platformModules[platform]!.capabilities.menu !== "not_offered"
          ? "menu"
          : members[name]
        expect(new RegExp(`\\b${member}\\b[,:]`).test(source), `${platform} connector has ${member} for ${name}`).toBe(
          true
        )
      }
    }
  })
})
