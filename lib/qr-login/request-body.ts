import "server-only";

/** The largest request body the provider's APIs and NextAuth's routes read (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Request body is larger than ${maxBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * A request's body, read a chunk at a time: past `maxBytes` it stops reading, cancels the rest
 * and throws `tooLarge()` (BodyTooLargeError unless told), whatever Content-Length claims or with none at all (a chunked body),
 * so a huge body costs no more than `maxBytes` of memory.
 */
export async function readBodyBytes(request: Request, maxBytes: number, tooLarge: () => Error = () => new BodyTooLargeError(maxBytes)): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
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
  return Buffer.concat(chunks);
}

/** readBodyBytes as UTF-8 text. */
export const readBodyText = async (request: Request, maxBytes: number, tooLarge?: () => Error) =>
  (await readBodyBytes(request, maxBytes, tooLarge)).toString("utf8");
