/**
 * The store cannot be reached (Redis down or restarting): the request is answered "service
 * unavailable" at once, not queued until Redis returns, and the cause is logged once per outage.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreUnavailableError";
  }
}

// node-redis's errors for "no connection now" (a command sent while offline, cut, or timed out),
// told by name: node-redis is loaded only when REDIS_URL is set, at run time and never bundled
// (redis-connection.ts), so its classes keep their names. StoreUnavailableError, which a minifier may
// rename, sets its own.
const UNREACHABLE_NAMES = new Set([
  "StoreUnavailableError",
  "ClientOfflineError",
  "ClientClosedError",
  "SocketClosedUnexpectedlyError",
  "ConnectionTimeoutError",
  "SocketTimeoutError",
  "ReconnectStrategyError",
  "TimeoutError",
]);

/** By class name along the error's prototype chain, so that a subclass of one of them counts too. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNREACHABLE_NAMES.has(error.name)) return true;
  for (let kind: unknown = Object.getPrototypeOf(error); kind && kind !== Error.prototype; kind = Object.getPrototypeOf(kind)) {
    if (UNREACHABLE_NAMES.has((kind as { constructor: { name: string } }).constructor.name)) return true;
  }
  return false;
}
