import { connectorConformance } from "../conformance/connector-conformance.js"
import { zenchefHarness } from "../conformance/zenchef-harness.js"

connectorConformance("zenchef", zenchefHarness)
