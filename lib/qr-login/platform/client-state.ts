import "server-only";

import { getConfig } from "@/lib/qr-login/platform/config";
import type { RateLimitCounter } from "@/lib/qr-login/platform/rate-limit";

import { MemoryClientState } from "./memory-client-state";

/**
 * What the QR login client keeps between requests: its rate-limit counts and the web sessions
 * that were signed out. The embedded provider registers its own store here (SQLite or Redis, so
 * nothing is lost on a restart); with real Authing it is Redis when REDIS_URL is set (shared by
 * every instance) and this process's memory otherwise.
 */
export type ClientState = RateLimitCounter & {
  revokeSession(input: { sid: string; expiresAt: number }): Promise<void>;
  isSessionRevoked(sid: string): Promise<boolean>;
  ping(): Promise<void>;
  /**
   * Rejects (EvictionPolicyError) when the state lives in a Redis that may evict keys before
   * their TTL (maxmemory-policy other than noeviction): sign-outs would come undone. At start
   * and in readiness.
   */
  checkEviction(): Promise<void>;
  close(): Promise<void>;
};

// On globalThis: instrumentation.ts registers at start, and Next bundles it apart from the routes.
const registryKey = Symbol.for("authing-qr-login.client-state");
type Registry = { [registryKey]?: ClientState };
const registry = globalThis as Registry;

/** The embedded provider's seam: from now on the client keeps its state in the provider's store. */
export function registerClientState(state: ClientState): void {
  registry[registryKey] = state;
}

export function getClientState(): ClientState {
  const registered = registry[registryKey];
  if (registered) return registered;
  const { redisUrl } = getConfig();
  const opened = redisUrl ? openRedisClientState(redisUrl) : new MemoryClientState();
  registry[registryKey] = opened;
  return opened;
}

/** Loads node-redis only when it is used: it is a tenth of a server's start. */
function openRedisClientState(url: string): ClientState {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, so a synchronous require
  const { RedisClientState } = require("./redis-client-state") as typeof import("./redis-client-state");
  return new RedisClientState({ url });
}

/** Closes what getClientState opened (at shutdown); never opens anything. */
export async function closeClientStateIfOpen(): Promise<void> {
  await registry[registryKey]?.close();
}
