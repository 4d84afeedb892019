import "server-only";

const requests = new WeakSet<Request>();

/**
 * Requests the app's own server hands to the provider in this process (lib/qr-login/provider/start/in-process-transport.ts).
 * Nothing that arrives over the network can be one: it is the app, with its secret, speaking.
 */
export function markInProcess(request: Request): Request {
  requests.add(request);
  return request;
}

export const isInProcess = (request: Request) => requests.has(request);
