import { menuConformance } from "../conformance/menu-conformance.js"
import { orderConformance } from "../conformance/order-conformance.js"
import { ubereatsHarness, ubereatsMenuHarness } from "./harness.js"

orderConformance("ubereats", ubereatsHarness)
menuConformance("ubereats", ubereatsMenuHarness)
