import { Layer } from "effect"
import { SyncLogRepositoryMemory } from "../../../src/adapters/memory/sync-log-repository.js"
import { SyncLogRepositorySql } from "../../../src/adapters/sql/sync-log-repository.js"
import { TestDatabaseLive } from "../../support/database.js"
import { syncLogContract } from "./sync-log.contract.js"

syncLogContract("sql", SyncLogRepositorySql.pipe(Layer.provide(TestDatabaseLive)))
syncLogContract("memory", SyncLogRepositoryMemory)
