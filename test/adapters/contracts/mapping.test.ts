import { Layer } from "effect"
import { MappingRepositoryMemory } from "../../../src/adapters/memory/mapping-repository.js"
import { MappingRepositorySql } from "../../../src/adapters/sql/mapping-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { mappingContract } from "./mapping.contract.js"

mappingContract("sql", MappingRepositorySql.pipe(Layer.provide(TestDatabaseLive)))
mappingContract("memory", MappingRepositoryMemory)
