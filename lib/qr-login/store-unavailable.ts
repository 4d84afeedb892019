import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from "redis";

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

// node-redis's errors for "no connection now" (a command sent while offline, cut, or timed out).
const UNREACHABLE = [
  StoreUnavailableError,
  ClientOfflineError,
  ClientClosedError,
  SocketClosedUnexpectedlyError,
  ConnectionTimeoutError,
  SocketTimeoutError,
  ReconnectStrategyError,
  TimeoutError,
];

// Spelled out: a minifier renames classes, and only StoreUnavailableError sets its own name.
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

/** By class, or by class name: a second bundled copy of the client (the proxy's) has other classes. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return UNREACHABLE.some((kind) => error instanceof kind) || UNREACHABLE_NAMES.has(error.name) || UNREACHABLE_NAMES.has(error.constructor.name);
}
