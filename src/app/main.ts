import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { AppConfig } from "./config.js"
import { DatabaseFromConfig } from "./database-layer.js"
import { HttpLive } from "./http/server.js"

const HttpFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    HttpLive({ port: config.port, host: config.host, maxBodyBytes: config.maxBodyBytes })
  )
)

export const MainLive = HttpFromConfig.pipe(Layer.provide(DatabaseFromConfig))

NodeRuntime.runMain(Layer.launch(MainLive))
