import { FetchHttpClient } from "@effect/platform"
import { Layer } from "effect"
import { randomBytes } from "node:crypto"
import { CredentialCipherAesGcm } from "../adapters/crypto/aes-gcm-cipher.js"
import { ConnectorRegistryLive } from "../adapters/platforms/registry.js"
import { AppServicesLive, RepositoriesMemory } from "./layers.js"
import { SyncSettingsTest } from "./workers/settings.js"

/**
 * The whole application on in-memory adapters, for the main app's own tests: every port, the
 * application services (LocalChanges, PlatformConfigs), a throw-away credentials key, and the
 * connector registry (over fetch). No database, no server, no background worker.
 */
export const AlloRestoSyncMemory = AppServicesLive.pipe(
  Layer.provideMerge(
    Layer.mergeAll(ConnectorRegistryLive().pipe(Layer.provide(FetchHttpClient.layer)), SyncSettingsTest)
  ),
  Layer.provideMerge(RepositoriesMemory),
  Layer.provideMerge(Layer.suspend(() => CredentialCipherAesGcm(randomBytes(32))))
)
