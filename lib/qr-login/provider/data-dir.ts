import "server-only";

import fs from "node:fs";
import path from "node:path";

import { createDataDir } from "@/lib/qr-login/platform/config-secrets";

/** The store's files: the database and SQLite's write-ahead log and shared-memory index. */
const STORE_FILES = ["provider.sqlite", "provider.sqlite-wal", "provider.sqlite-shm"];

/**
 * DATA_DIR holds the provider's private signing key, password hashes and refresh tokens: only
 * this user may enter it (0700) or read its files (0600), and git ignores it (createDataDir). The database is created here, empty,
 * before the store opens it, since SQLite gives its -wal and -shm files the database's mode.
 */
export function secureDataDir(dataDir: string): void {
  createDataDir(dataDir);
  fs.chmodSync(dataDir, 0o700);
  fs.closeSync(fs.openSync(path.join(/*turbopackIgnore: true*/ dataDir, STORE_FILES[0]!), "a", 0o600));
  for (const file of STORE_FILES) {
    try {
      fs.chmodSync(path.join(/*turbopackIgnore: true*/ dataDir, file), 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}
