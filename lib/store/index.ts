import "server-only";

import path from "node:path";

import { getConfig } from "@/lib/config";

import { RedisStore } from "./redis-store";
import { SqliteStore } from "./sqlite-store";
import type { Store } from "./types";

export type * from "./types";
export { isStoreUnavailable, StoreUnavailableError } from "@/lib/qr-login/store-unavailable";
export { RedisStore } from "./redis-store";
export { SqliteStore } from "./sqlite-store";

const globalForStore = globalThis as typeof globalThis & { qrLoginStore?: Store };

/**
 * The app's one store, opened on first use (never at import: `next build` imports route
 * modules) and kept on globalThis so dev hot reloads do not open it again and again: Redis when
 * REDIS_URL is set (every instance shares it), else a SQLite file under DATA_DIR.
 */
export function getStore(): Store {
  if (!globalForStore.qrLoginStore) {
    const config = getConfig();
    globalForStore.qrLoginStore = config.redisUrl
      ? new RedisStore({ url: config.redisUrl })
      : new SqliteStore(path.join(config.dataDir, "provider.sqlite"));
  }
  return globalForStore.qrLoginStore;
}

/** Closes the store if this process opened one (at shutdown); never opens one. */
export async function closeStoreIfOpen(): Promise<void> {
  await globalForStore.qrLoginStore?.close();
}
