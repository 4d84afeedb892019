import "server-only";

import { getConfig } from "@/lib/qr-login/platform/config";

import type { ClientState } from "./client-state-types";
import { MemoryClientState } from "./memory-client-state";
import { RedisClientState } from "./redis-client-state";

export type { ClientState } from "./client-state-types";

// On globalThis: instrumentation.ts registers at start, and Next bundles it apart from the routes.
const registryKey = Symbol.for("authing-qr-login.client-state");
type Registry = { [registryKey]?: ClientState };
const registry = globalThis as Registry;

/** The embedded provider's seam: from now on the client keeps its state in the provider's store. */
export function registerClientState(state: ClientState): void {
  registry[registryKey] = state;
}

/**
 * The client's state: the embedded provider's store when it registered one (SQLite or Redis, so
 * nothing is lost on a restart); with real Authing, Redis when REDIS_URL is set (shared by every
 * instance; node-redis is loaded only then) and this process's memory otherwise.
 */
export function getClientState(): ClientState {
  const registered = registry[registryKey];
  if (registered) return registered;
  const { redisUrl } = getConfig();
  const opened = redisUrl ? new RedisClientState({ url: redisUrl }) : new MemoryClientState();
  registry[registryKey] = opened;
  return opened;
}

/** Closes what getClientState opened (at shutdown); never opens anything. */
export async function closeClientStateIfOpen(): Promise<void> {
  await registry[registryKey]?.close();
}
