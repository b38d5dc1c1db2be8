import { Layer } from "effect"
import { ApiKeyRepositoryMemory } from "../../../src/adapters/memory/api-keys.js"
import { ApiKeyRepositorySql } from "../../../src/adapters/sql/api-keys.js"
import { TestDatabaseLive } from "../../support/database.js"
import { apiKeysContract } from "./api-keys.contract.js"

apiKeysContract("sql", ApiKeyRepositorySql.pipe(Layer.provide(TestDatabaseLive)))
apiKeysContract("memory", ApiKeyRepositoryMemory)
