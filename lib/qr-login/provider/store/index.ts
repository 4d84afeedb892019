import "server-only";

import path from "node:path";

import { getConfig } from "@/lib/qr-login/platform/config";

import { RedisStore } from "./redis-store";
import type { Store } from "./types";

export type * from "./types";
export { isStoreUnavailable, StoreUnavailableError } from "@/lib/qr-login/platform/store-unavailable";
export type { RedisStore };
export type { SqliteStore } from "./sqlite-store";

const globalForStore = globalThis as typeof globalThis & { qrLoginStore?: Store };

/**
 * The app's one store, opened on first use (never at import: `next build` imports route
 * modules) and kept on globalThis so dev hot reloads do not open it again and again: Redis when
 * REDIS_URL is set (every instance shares it; node-redis is loaded only then), else a SQLite
 * file under DATA_DIR.
 */
export function getStore(): Store {
  if (!globalForStore.qrLoginStore) {
    const config = getConfig();
    globalForStore.qrLoginStore = config.redisUrl
      ? new RedisStore({ url: config.redisUrl })
      : openSqliteStore(path.join(config.dataDir, "provider.sqlite"));
  }
  return globalForStore.qrLoginStore;
}

/**
 * Loads the SQLite store (and its native addon) only when it is the store: on Vercel, where
 * REDIS_URL is required, better-sqlite3 is left out of the functions (next.config.mjs) and must
 * never be loaded.
 */
function openSqliteStore(file: string): Store {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, so a synchronous require
  const { SqliteStore } = require("./sqlite-store") as typeof import("./sqlite-store");
  return new SqliteStore(file);
}

/** Closes the store if this process opened one (at shutdown); never opens one. */
export async function closeStoreIfOpen(): Promise<void> {
  await globalForStore.qrLoginStore?.close();
}
