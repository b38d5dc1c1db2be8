import { connectorConformance } from "../conformance/connector-conformance.js"
import { theforkHarness } from "./harness.js"

connectorConformance("thefork", theforkHarness)
