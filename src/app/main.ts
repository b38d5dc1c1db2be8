import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { AppConfig } from "./config.js"
import { CredentialCipherFromConfig } from "./credentials-key.js"
import { DatabaseFromConfig } from "./database-layer.js"
import { ConnectorsFromConfig, LoggingFromConfig, SyncSettingsFromConfig } from "./from-config.js"
import { HttpLive } from "./http/server.js"
import { AppServicesLive, RepositoriesSql } from "./layers.js"
import { SyncThreadLive } from "./sync-thread/host.js"
import { WorkersLive } from "./workers.js"

const FromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) => {
    // The sync workers take a thread of their own unless told otherwise: acknowledging webhooks
    // and applying them then use two cores instead of sharing one.
    const workers = !config.workersEnabled ? Layer.empty : config.syncThread ? SyncThreadLive : WorkersLive
    return Layer.mergeAll(
      HttpLive({ port: config.port, host: config.host, maxBodyBytes: config.maxBodyBytes }),
      workers
    ).pipe(
      Layer.provide(AppServicesLive),
      Layer.provide(Layer.mergeAll(ConnectorsFromConfig, SyncSettingsFromConfig))
    )
  })
)

export const MainLive = FromConfig.pipe(
  Layer.provide(RepositoriesSql),
  Layer.provide(CredentialCipherFromConfig),
  Layer.provide(DatabaseFromConfig)
)

NodeRuntime.runMain(Layer.launch(MainLive.pipe(Layer.provide(LoggingFromConfig))))
