import "server-only";

import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

type RequestContext = { requestId: string };

// On globalThis: Next bundles route handlers separately, and every one must see the same store.
const globalForContext = globalThis as typeof globalThis & { qrLoginRequestContext?: AsyncLocalStorage<RequestContext> };
const storage = (globalForContext.qrLoginRequestContext ??= new AsyncLocalStorage<RequestContext>());

/** A proxy's id (nginx's $request_id, or ours from proxy.ts) is kept when it looks like one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : randomUUID();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * Runs `handler` with a request id every log line of it carries, and sends that id back in
 * x-request-id. The embedded provider answering in this process joins the app's request.
 */
export async function withRequestId(request: Request, handler: (requestId: string) => Promise<Response>): Promise<Response> {
  const outer = currentRequestId();
  const requestId = outer ?? requestIdFrom(request.headers);
  const response = outer ? await handler(requestId) : await storage.run({ requestId }, () => handler(requestId));
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
  } catch {
    // A response with immutable headers (a redirect made by Response.redirect) goes out without it.
  }
  return response;
}
