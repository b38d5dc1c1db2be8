import { Context, Effect, FiberRef, FiberRefs, HashSet, Layer, Logger, type LogLevel, Option, Tracer } from "effect"
import { stdoutLines } from "./line-writer.js"

/**
 * Structured JSON logs (R-12.1): one object per line, with the log annotations (requestId on
 * HTTP requests, jobId/platform/direction on sync jobs) at the top level, and the trace and span
 * ids of the current span, which tie a job's or a request's lines together.
 *
 * Secrets are `Redacted` and never logged; the scrubbing below is a second line of defence for
 * what a message might carry by accident (a URL with its token, an object with a secret field).
 */
const SENSITIVE_KEY = /secret|token|password|passwd|api[-_]?key|authorization|signature|credential|cookie/i

const scrubKeys = () => {
  const seen = new WeakSet<object>()
  return (key: string, value: unknown): unknown => {
    if (
      key !== "" && SENSITIVE_KEY.test(key) &&
      (typeof value === "string" || (typeof value === "object" && value !== null))
    ) {
      return "<redacted>"
    }
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[Circular]"
      seen.add(value)
    }
    return typeof value === "bigint" ? value.toString() : value
  }
}

// Query-string secrets (webhook URL tokens) and passwords in connection strings, in free text.
// Each pattern needs a character most lines lack ("=", "://"): those lines skip the regular expression.
const scrubText = (line: string) => {
  const queried = line.includes("=")
    ? line.replace(
      /([?&](?:token|secret|key|api_?key|signature|sig|password|access_token)=)[^&\s"\\]+/gi,
      "$1<redacted>"
    )
    : line
  return queried.includes("://")
    ? queried.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s"@]+:)[^@\s"]+@/gi, "$1<redacted>@")
    : queried
}

/**
 * A line of plain values under harmless keys (an access line, most lines) serializes the same
 * without the replacer, on V8's fast path, which a replacer turns off.
 */
const isPlain = (line: Record<string, unknown>) => {
  for (const key in line) {
    const value = line[key]
    if (typeof value === "object" && value !== null) return false
    if (typeof value === "bigint" || (typeof value === "string" && SENSITIVE_KEY.test(key))) return false
  }
  return true
}

// Without OTLP export the tracer is off and spans are Effect's no-op span, whose ids say nothing.
const currentSpan = (refs: FiberRefs.FiberRefs) =>
  FiberRefs.getOrDefault(refs, FiberRef.currentTracerEnabled)
    ? Context.getOption(FiberRefs.getOrDefault(refs, FiberRef.currentContext), Tracer.ParentSpan)
    : Option.none()

/** The JSON text of one log line (exported for tests that capture lines). */
export const toJsonLine = (options: Logger.Logger.Options<unknown>): string => {
  const structured = Logger.structuredLogger.log(options)
  const span = currentSpan(options.context)
  const line = {
    ...structured.annotations,
    timestamp: structured.timestamp,
    level: structured.logLevel,
    message: structured.message,
    ...(structured.cause === undefined ? {} : { cause: structured.cause }),
    ...(Object.keys(structured.spans).length === 0 ? {} : { spans: structured.spans }),
    ...(Option.isSome(span) ? { traceId: span.value.traceId, spanId: span.value.spanId } : {}),
    fiberId: structured.fiberId
  }
  return scrubText(isPlain(line) ? JSON.stringify(line) : JSON.stringify(line, scrubKeys()))
}

type LogFormat = "json" | "pretty"

interface LoggingOptions {
  readonly format: LogFormat
  readonly level: LogLevel.LogLevel
}

// One instance: a set of loggers holds it once however many times logging is set up (the sync
// thread sets it up for its first step, then for its workers).
const jsonStdoutLogger = Logger.make((options) => stdoutLines().write(toJsonLine(options)))

/**
 * The process's loggers: JSON on stdout by default; `pretty` for a developer's terminal. Both the
 * default and the pretty logger (which NodeRuntime.runMain installs) give way, so no line is doubled.
 */
export const LoggingLive = (options: LoggingOptions) => {
  const chosen = options.format === "json" ? jsonStdoutLogger : Logger.prettyLoggerDefault
  const logger = Layer.scopedDiscard(
    Effect.locallyScopedWith(FiberRef.currentLoggers, (loggers) =>
      loggers.pipe(
        HashSet.remove(Logger.defaultLogger),
        HashSet.remove(Logger.prettyLoggerDefault),
        HashSet.add(chosen)
      ))
  )
  return Layer.merge(logger, Logger.minimumLogLevel(options.level))
}
