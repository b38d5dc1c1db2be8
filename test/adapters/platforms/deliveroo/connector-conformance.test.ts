import { menuConformance } from "../conformance/menu-conformance.js"
import { orderConformance } from "../conformance/order-conformance.js"
import { deliverooHarness, deliverooMenuHarness } from "./harness.js"

orderConformance("deliveroo", deliverooHarness)
menuConformance("deliveroo", deliverooMenuHarness)
