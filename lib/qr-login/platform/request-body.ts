import "server-only";

/**
 * The largest request body the provider's APIs and NextAuth's routes read (64 KiB). Routes behind
 * the proxy (NextAuth's, pages and their server actions) get a body Next has already buffered for
 * the proxy, up to its proxyClientMaxBodySize (10 MB by default).
 */
export const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Request body is larger than ${maxBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * The one reader of request bodies (the provider's APIs and NextAuth's routes): the body as UTF-8
 * text, read a chunk at a time. Past MAX_BODY_BYTES it stops reading, cancels the rest and throws
 * BodyTooLargeError (each surface answers it in its own envelope, 413), whatever Content-Length
 * claims or with none at all (a chunked body), so a huge body costs this reader no more than the
 * cap. Read the request's own body, not a clone: a clone left half read holds the answer back.
 */
export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () => new BodyTooLargeError(maxBytes);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
