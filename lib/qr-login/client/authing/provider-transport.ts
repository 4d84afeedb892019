import "server-only";

/**
 * The one seam between the QR login client and an identity provider served by this same app:
 * the embedded provider registers a `fetch` that hands requests to its route handlers in-process
 * (the qr-login-provider item); with nothing registered, the client speaks HTTP.
 * The client never imports the provider, so an app that uses real Authing carries none of it.
 *
 * Kept on globalThis: instrumentation.ts registers it at start, and Next bundles instrumentation
 * apart from the route handlers, so a module-level variable would not be the one they read.
 */
const registryKey = Symbol.for("authing-qr-login.provider-transport");

type Registry = { [registryKey]?: typeof fetch };

export function registerProviderTransport(transport: typeof fetch): void {
  (globalThis as Registry)[registryKey] = transport;
}

/** The registered in-process transport, if the embedded provider registered one. */
export function registeredProviderTransport(): typeof fetch | undefined {
  return (globalThis as Registry)[registryKey];
}
