import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SqliteStore } from "./sqlite-store";
import type { UserRecord } from "./types";

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
  store.insertQrCode({ id, appId: "app", content: `http://x/m/scan/${id}`, customData: null, context: { ip: "1.2.3.4" }, createdAt: T0, expiresAt: T0 + ttlMs });

const user = (id: string, username: string, email: string): UserRecord => ({
  id, username, email, passwordHash: "scrypt$x", nickname: null, photo: null, createdAt: T0, updatedAt: T0,
});

describe("QR code compare-and-set", () => {
  it("scans a pending code once; a second scan finds no PENDING row", async () => {
    await newCode("c1");
    const scanned = await store.scanQrCode({ id: "c1", userId: "u1", now: T0 + 1 });
    expect(scanned).toMatchObject({ status: "SCANNED", scannedBy: "u1", context: { ip: "1.2.3.4" } });
    expect(await store.scanQrCode({ id: "c1", userId: "u2", now: T0 + 2 })).toBeUndefined();
    expect((await store.findQrCode("c1"))?.scannedBy).toBe("u1");
  });

  it("refuses to scan or confirm once the code has expired (checked inside the update)", async () => {
    await newCode("c2", 1000);
    expect(await store.scanQrCode({ id: "c2", userId: "u1", now: T0 + 1000 })).toBeUndefined();
    await newCode("c3", 1000);
    await store.scanQrCode({ id: "c3", userId: "u1", now: T0 + 10 });
    expect(await store.confirmQrCode({ id: "c3", userId: "u1", now: T0 + 1000, ticket: "t3", ticketExpiresAt: T0 + 9000 })).toBeUndefined();
    expect((await store.findQrCode("c3"))?.status).toBe("SCANNED");
  });

  it("lets only the scanner confirm, never before a scan, and never cancel after confirm", async () => {
    await newCode("c4");
    expect(await store.confirmQrCode({ id: "c4", userId: "u1", now: T0, ticket: "t4", ticketExpiresAt: T0 + 1 })).toBeUndefined();
    await store.scanQrCode({ id: "c4", userId: "u1", now: T0 });
    expect(await store.confirmQrCode({ id: "c4", userId: "u2", now: T0, ticket: "t4", ticketExpiresAt: T0 + 1 })).toBeUndefined();
    expect(await store.cancelQrCode({ id: "c4", userId: "u2", now: T0 })).toBeUndefined();
    const confirmed = await store.confirmQrCode({ id: "c4", userId: "u1", now: T0, ticket: "t4", ticketExpiresAt: T0 + 5000 });
    expect(confirmed).toMatchObject({ status: "AUTHORIZED", ticket: "t4" });
    expect(await store.cancelQrCode({ id: "c4", userId: "u1", now: T0 })).toBeUndefined();
    expect((await store.findQrCode("c4"))?.status).toBe("AUTHORIZED");
  });

  it("redeems a ticket at most once, only for its app, only before it expires", async () => {
    await newCode("c5");
    await store.scanQrCode({ id: "c5", userId: "u1", now: T0 });
    await store.confirmQrCode({ id: "c5", userId: "u1", now: T0, ticket: "t5", ticketExpiresAt: T0 + 5000 });
    expect(await store.redeemTicket({ ticket: "t5", appId: "other-app", now: T0 })).toBeUndefined();
    expect(await store.redeemTicket({ ticket: "t5", appId: "app", now: T0 + 5000 })).toBeUndefined();
    expect(await store.redeemTicket({ ticket: "t5", appId: "app", now: T0 + 4999 })).toMatchObject({ scannedBy: "u1" });
    expect(await store.redeemTicket({ ticket: "t5", appId: "app", now: T0 + 4999 })).toBeUndefined();
  });

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
});

describe("users, keys, refresh tokens, rate limits", () => {
  it("keeps usernames and emails unique without regard to case and finds users by either", async () => {
    expect(await store.insertUser(user("u1", "alice", "alice@example.com"))).toBe(true);
    expect(await store.insertUser(user("u2", "ALICE", "other@example.com"))).toBe(false);
    expect(await store.insertUser(user("u3", "carol", "Alice@Example.com"))).toBe(false);
    expect((await store.findUserByLogin("Alice"))?.id).toBe("u1");
    expect((await store.findUserByLogin("alice@example.com"))?.id).toBe("u1");
    expect(await store.findUserByLogin("nobody")).toBeUndefined();
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

  it("consumes a refresh token once, and not at all once its family is revoked", async () => {
    const token = (hash: string) => ({ tokenHash: hash, familyId: "f1", userId: "u1", appId: "app", scope: "openid", createdAt: T0, expiresAt: T0 + 10_000 });
    await store.insertRefreshToken(token("h1"));
    expect(await store.consumeRefreshToken({ tokenHash: "h1", appId: "other", now: T0 })).toBeUndefined();
    expect(await store.consumeRefreshToken({ tokenHash: "h1", appId: "app", now: T0 })).toMatchObject({ familyId: "f1" });
    expect(await store.consumeRefreshToken({ tokenHash: "h1", appId: "app", now: T0 })).toBeUndefined();
    await store.insertRefreshToken(token("h2"));
    await store.revokeRefreshTokenFamily({ familyId: "f1", now: T0 });
    // A token added to the family after the revocation is dead too.
    await store.insertRefreshToken(token("h3"));
    expect(await store.consumeRefreshToken({ tokenHash: "h2", appId: "app", now: T0 })).toBeUndefined();
    expect(await store.consumeRefreshToken({ tokenHash: "h3", appId: "app", now: T0 })).toBeUndefined();
  });

  it("counts a fixed window and starts over in the next one", async () => {
    const hit = (now: number) => store.consumeRateLimit("ip:1", 2, 60, now);
    expect(await hit(T0)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await hit(T0 + 1)).toMatchObject({ allowed: true, remaining: 0 });
    const third = await hit(T0 + 2);
    expect(third).toMatchObject({ allowed: false, remaining: 0 });
    expect(await hit(third.resetAt)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await store.consumeRateLimit("ip:2", 2, 60, T0)).toMatchObject({ allowed: true, remaining: 1 });
  });

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
