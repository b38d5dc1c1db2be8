import { connectorConformance } from "../conformance/connector-conformance.js"
import { zenchefHarness } from "./zenchef-harness.js"

connectorConformance("zenchef", zenchefHarness)
