import { connectorConformance } from "../conformance/connector-conformance.js"
import { sevenroomsHarness } from "./harness.js"

connectorConformance("sevenrooms", sevenroomsHarness)
