import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach } from "vitest";

import { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";

/** Makes temporary folders (call it at a test file's top level); each is removed after the test that made it. */
export function tempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/**
 * Makes SQLite stores in temporary folders (call it at a test file's top level); each is closed
 * and its folder removed after the test that made it.
 */
export function tempSqliteStores(prefix: string): () => { store: SqliteStore; file: string } {
  const dirs = tempDirs(prefix);
  const open: SqliteStore[] = [];
  // Registered after tempDirs' hook, so it runs first: a store is closed before its folder goes.
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  return () => {
    const file = path.join(dirs(), "provider.sqlite");
    const store = new SqliteStore(file);
    open.push(store);
    return { store, file };
  };
}
