import type { IncomingMessage } from "node:http"
import { Readable } from "node:stream"

/** A body sent without a Content-Length (chunked): its size is known only once it is read. */
export const hasUnannouncedBody = (request: IncomingMessage): boolean =>
  request.headers["content-length"] === undefined && request.headers["transfer-encoding"] !== undefined

/**
 * Issue 18: reads such a body up to `maxBytes` and calls back with it, or with `undefined` as soon
 * as it grows past (the caller then answers 413 while the rest drains). The framework's own limit
 * would destroy the socket mid-upload instead, and the client would see a reset, not an answer.
 */
export const readUnannouncedBody = (
  request: IncomingMessage,
  maxBytes: number,
  onBody: (body: Buffer | undefined) => void
): void => {
  const chunks: Array<Buffer> = []
  let size = 0
  const onData = (chunk: Buffer) => {
    size += chunk.length
    if (size <= maxBytes) return void chunks.push(chunk)
    request.off("data", onData)
    request.off("end", onEnd)
    chunks.length = 0
    onBody(undefined)
  }
  const onEnd = () => onBody(Buffer.concat(chunks))
  request.on("data", onData)
  request.once("end", onEnd)
}

/** The same request with its body read: a stream of that body, announced with its length. */
export const withAnnouncedBody = (request: IncomingMessage, body: Buffer): IncomingMessage => {
  const { "transfer-encoding": _chunked, ...headers } = request.headers
  return Object.assign(Readable.from([body]), {
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion,
    socket: request.socket,
    headers: { ...headers, "content-length": String(body.length) },
    rawHeaders: request.rawHeaders,
    complete: true
  }) as unknown as IncomingMessage
}
