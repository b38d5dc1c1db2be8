import { Layer } from "effect"
import { PlatformConfigRepositoryMemory } from "../../../src/adapters/memory/platform-config-repository.js"
import { PlatformConfigRepositorySql } from "../../../src/adapters/sql/platform-config-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { platformConfigContract } from "./platform-config.contract.js"

platformConfigContract("sql", PlatformConfigRepositorySql.pipe(Layer.provide(TestDatabaseLive)))
platformConfigContract("memory", PlatformConfigRepositoryMemory)
