import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SqliteStore } from "./sqlite-store";

// What every store must do is in store-contract.test.ts; here, what only a file shared by
// several connections does.

let dir: string;
let file: string;
let store: SqliteStore;
// Near the real clock: opening a store sweeps with the real time.
const T0 = Date.now();

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "store-test-"));
  file = path.join(dir, "provider.sqlite");
  store = new SqliteStore(file);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const newCode = (id: string, ttlMs = 120_000) =>
  store.insertQrCode({ id, appId: "app", content: `http://x/m/scan/${id}`, customData: null, context: { ip: "1.2.3.4" }, pollSecretHash: null, createdAt: T0, expiresAt: T0 + ttlMs });

describe("one file, several connections", () => {
  it("lets exactly one of two connections to the same file win a redemption", async () => {
    await newCode("c6");
    await store.scanQrCode({ id: "c6", userId: "u1", now: T0 });
    await store.confirmQrCode({ id: "c6", userId: "u1", now: T0, ticket: "t6", ticketExpiresAt: T0 + 5000 });
    const other = new SqliteStore(file);
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).redeemTicket({ ticket: "t6", appId: "app", now: T0 + 1 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("keeps the first signing key written, across connections", async () => {
    const key = (kid: string) => ({ kid, alg: "RS256" as const, privateJwk: "{}", publicJwk: "{}", createdAt: T0 });
    const other = new SqliteStore(file);
    try {
      expect((await store.saveSigningKeyIfAbsent(key("first"))).kid).toBe("first");
      expect((await other.saveSigningKeyIfAbsent(key("second"))).kid).toBe("first");
    } finally {
      await other.close();
    }
  });
});

describe("sweeping", () => {
  it("sweeps what has expired and keeps what has not", async () => {
    await newCode("old", 1000);
    await newCode("new", 10 * 3600_000);
    await store.revokeAccessToken({ jti: "j1", expiresAt: T0 + 1000 });
    await store.sweepExpired(T0 + 2 * 3600_000);
    expect(await store.findQrCode("old")).toBeUndefined();
    expect(await store.findQrCode("new")).toBeDefined();
    expect(await store.isAccessTokenRevoked("j1")).toBe(false);
  });
});
