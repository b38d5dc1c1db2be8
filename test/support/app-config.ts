import { ConfigProvider, Effect, type Exit } from "effect"
import type { ConfigError } from "effect/ConfigError"
import { AppConfig, type AppConfig as AppConfigType } from "../../src/app/config.js"

/** One setting of the service as it reads it from `env` alone, or the error it refuses it with. */
export const appSettingFrom = <A>(
  env: Record<string, string>,
  setting: (config: AppConfigType) => A
): Exit.Exit<A, ConfigError> =>
  Effect.runSyncExit(
    Effect.map(Effect.withConfigProvider(AppConfig, ConfigProvider.fromMap(new Map(Object.entries(env)))), setting)
  )
