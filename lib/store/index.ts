import "server-only";

import path from "node:path";

import { getConfig } from "@/lib/config";

import { SqliteStore } from "./sqlite-store";
import type { Store } from "./types";

export type * from "./types";
export { SqliteStore } from "./sqlite-store";

const globalForStore = globalThis as typeof globalThis & { qrLoginStore?: Store; qrLoginRedisWarned?: boolean };

/**
 * The app's one store, opened on first use (never at import: `next build` imports route
 * modules) and kept on globalThis so dev hot reloads do not open the file again and again.
 */
export function getStore(): Store {
  if (!globalForStore.qrLoginStore) {
    const config = getConfig();
    if (config.redisUrl && !globalForStore.qrLoginRedisWarned) {
      globalForStore.qrLoginRedisWarned = true;
      console.warn("REDIS_URL is set but the Redis store is not built yet: using SQLite under DATA_DIR.");
    }
    globalForStore.qrLoginStore = new SqliteStore(path.join(config.dataDir, "provider.sqlite"));
  }
  return globalForStore.qrLoginStore;
}
