import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Effect, Option, Stream } from "effect"

/**
 * The body as text, up to `maxBytes`. A declared length says it before any byte is read (undici
 * never reads past it); a chunked body is counted as it comes. A body past the cap is not read
 * on: its stream is ended, which closes the connection instead of leaving it to hold the rest.
 */
export const boundedText = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Option.Option<string>, HttpClientError.ResponseError> => {
  const declared = response.headers["content-length"]
  const length = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined
  if (length !== undefined && length <= maxBytes) return Effect.map(response.text, Option.some)
  const limit = length === undefined ? maxBytes : 0
  return Effect.suspend(() => {
    const decoder = new TextDecoder()
    const parts: Array<string> = []
    let size = 0
    return response.stream.pipe(
      Stream.runForEachWhile((chunk) =>
        Effect.sync(() => {
          size += chunk.byteLength
          if (size > limit) return false
          parts.push(decoder.decode(chunk, { stream: true }))
          return true
        })
      ),
      Effect.map(() =>
        length !== undefined || size > limit ? Option.none() : Option.some(parts.join("") + decoder.decode())
      )
    )
  })
}

/** Why a body past the cap was refused, for an error message. */
export const notRead = (maxBytes: number) => `response larger than ${maxBytes} bytes, not read`
