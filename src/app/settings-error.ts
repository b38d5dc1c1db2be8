import { ConfigError } from "effect"

/** What is wrong with the settings, one clause per variable: `PORT must be from 0 to 65535`. */
export const describeSettingsError = (error: ConfigError.ConfigError): string =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left, right) => `${left}; ${right}`,
    orCase: (_, left, right) => `${left}, or ${right}`,
    invalidDataCase: (_, path, message) => `${path.join(".")} ${message}`,
    missingDataCase: (_, path, message) => `${path.join(".")} ${message}`,
    sourceUnavailableCase: (_, path, message) => `${path.join(".")} ${message}`,
    unsupportedCase: (_, path, message) => `${path.join(".")} ${message}`
  })

/**
 * The line a start refused for its settings writes: JSON, as every other line, though the logger
 * (configured from these very settings) is not there yet.
 */
export const settingsErrorLine = (error: ConfigError.ConfigError): string =>
  JSON.stringify({
    timestamp: new Date().toISOString(),
    level: "ERROR",
    message: `the service cannot start: ${describeSettingsError(error)}`
  })
