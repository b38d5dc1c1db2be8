import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Layer } from "effect"
import { randomBytes } from "node:crypto"
import { CredentialCipherAesGcm } from "../adapters/crypto/aes-gcm-cipher.js"
import { ConnectorRegistryLive } from "../adapters/platforms/registry.js"
import { CurrentCallerSystem } from "./caller.js"
import { AppServicesLive, RepositoriesMemory } from "./layers.js"
import { SyncSettingsTest } from "./workers/settings.js"

// What a test of the main app asks the layer for, from the same entry (`alloresto-sync/testing`).
export { Changes } from "./services/changes.js"
export { LocalChanges } from "./services/local-changes.js"
export { PlatformConfigs } from "./services/platform-configs.js"

/**
 * The whole application on in-memory adapters, for the main app's own tests: every port, the
 * application services (LocalChanges, PlatformConfigs, and Changes, the change feed of issue 21),
 * a throw-away credentials key, and the connector registry (over fetch). No database, no server, no background worker.
 */
export const AlloRestoSyncMemory = AppServicesLive.pipe(
  // The main app's tests call the services as the service itself: every restaurant (issue 17).
  Layer.provideMerge(CurrentCallerSystem),
  Layer.provideMerge(
    Layer.mergeAll(
      ConnectorRegistryLive({ egress: { allowedHosts: ["127.0.0.1", "localhost"] } }).pipe(
        Layer.provide(FetchHttpClient.layer)
      ),
      SyncSettingsTest
    )
  ),
  Layer.provideMerge(RepositoriesMemory),
  Layer.provideMerge(Layer.suspend(() => CredentialCipherAesGcm(randomBytes(32))))
)
