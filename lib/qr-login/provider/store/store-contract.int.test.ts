import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "redis";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { startRedisServer } from "@/test-support/redis-server";
import { sharedRedisServer } from "@/test-support/shared-redis-server";

import { log } from "@/lib/qr-login/platform/log";
import { isStoreUnavailable } from "@/lib/qr-login/platform/store-unavailable";
import { RedisStore } from "./redis-store";
import { SqliteStore } from "./sqlite-store";
import type { PasskeyChallengeRecord, PasskeyRecord, QrCodeChange, Store, UserRecord } from "./types";

const redis = sharedRedisServer();

/**
 * A store on fresh data, and a way to open another instance on the same data. `evictFamily`
 * deletes a refresh family's own key, as an evicting Redis could (SQLite evicts nothing, and
 * keeps a family's revocation on its tokens' rows).
 */
type Harness = { store: Store; another(): Store; evictFamily(familyId: string): Promise<void>; cleanup(): Promise<void> };

let redisPrefixes = 0;
const factories: Array<{ name: string; open(): Harness }> = [
  {
    name: "SqliteStore",
    open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), "store-test-"));
      const file = path.join(dir, "provider.sqlite");
      return {
        store: new SqliteStore(file),
        another: () => new SqliteStore(file),
        evictFamily: async () => {},
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "RedisStore",
    open() {
      // One server for the file; each test gets its own prefix, so nothing leaks between tests.
      const keyPrefix = `test-${process.pid}-${++redisPrefixes}:`;
      return {
        store: new RedisStore({ url: redis.url, keyPrefix }),
        another: () => new RedisStore({ url: redis.url, keyPrefix }),
        evictFamily: async (familyId) => {
          const client = await createClient({ url: redis.url }).connect();
          try {
            expect(await client.del(`${keyPrefix}refresh:{${familyId}}`)).toBe(1);
          } finally {
            client.destroy();
          }
        },
        cleanup: async () => {},
      };
    },
  },
];

// Near the real clock (the SQLite store sweeps with the real time when it opens).
const T0 = Date.now();

const HOUR = 3600_000;
const key = (kid: string, createdOffset = 0) =>
  ({ kid, alg: "RS256" as const, privateJwk: `{"k":"${kid}"}`, publicJwk: "{}", createdAt: T0 + createdOffset, retireAt: null });

const user = (id: string, username: string | null, email: string | null): UserRecord => ({
  id, username, email, passwordHash: "scrypt$x", nickname: null, photo: null, createdAt: T0, updatedAt: T0,
});

describe.each(factories)("$name", (factory) => {
  let harness: Harness;
  let store: Store;
  const opened: Store[] = [];
  const another = () => {
    const other = harness.another();
    opened.push(other);
    return other;
  };

  beforeEach(() => {
    harness = factory.open();
    store = harness.store;
    opened.push(store);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((each) => each.close()));
    await harness.cleanup();
  });

  const newCode = (id: string, ttlMs = 120_000) =>
    store.insertQrCode({ id, appId: "app", content: `http://x/m/scan/${id}`, customData: null, context: { ip: "1.2.3.4" }, pollSecretHash: null, createdAt: T0, expiresAt: T0 + ttlMs });

  /** A code confirmed by u1 with `ticket`, valid for 5 s after T0. */
  const authorizedCode = async (id: string, ticket: string) => {
    await newCode(id);
    await store.scanQrCode({ id, userId: "u1", now: T0 });
    return store.confirmQrCode({ id, userId: "u1", now: T0, ticket, ticketExpiresAt: T0 + 5000 });
  };

  it("answers ping while open, and refuses it once closed", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });

  describe("QR code compare-and-set", () => {
    it("stores a new code as PENDING and reads it back as written", async () => {
      const inserted = await store.insertQrCode({
        id: "c0", appId: "app", content: "http://x/m/scan/c0", customData: { a: [1, "b"] }, context: null, pollSecretHash: "ab12",
        createdAt: T0, expiresAt: T0 + 1000,
      });
      expect(inserted).toEqual({
        id: "c0", appId: "app", status: "PENDING", content: "http://x/m/scan/c0", customData: { a: [1, "b"] }, context: null,
        pollSecretHash: "ab12", createdAt: T0, expiresAt: T0 + 1000, scannedBy: null, scannedAt: null, decidedAt: null, ticket: null, ticketExpiresAt: null, redeemedAt: null,
      });
      expect(await store.findQrCode("c0")).toEqual(inserted);
      expect(await store.findQrCode("nope")).toBeUndefined();
      await expect(newCode("c0")).rejects.toThrow();
    });

    it("scans a pending code once; a second scan finds no PENDING row", async () => {
      await newCode("c1");
      const scanned = await store.scanQrCode({ id: "c1", userId: "u1", now: T0 + 1 });
      expect(scanned).toMatchObject({ status: "SCANNED", scannedBy: "u1", scannedAt: T0 + 1, context: { ip: "1.2.3.4" } });
      expect(await store.scanQrCode({ id: "c1", userId: "u2", now: T0 + 2 })).toBeUndefined();
      expect(await store.findQrCode("c1")).toEqual(scanned);
      expect(await store.scanQrCode({ id: "unknown", userId: "u1", now: T0 })).toBeUndefined();
    });

    it("refuses to scan or confirm once the code has expired (checked inside the update)", async () => {
      await newCode("c2", 1000);
      expect(await store.scanQrCode({ id: "c2", userId: "u1", now: T0 + 1000 })).toBeUndefined();
      await newCode("c3", 1000);
      await store.scanQrCode({ id: "c3", userId: "u1", now: T0 + 10 });
      expect(await store.confirmQrCode({ id: "c3", userId: "u1", now: T0 + 1000, ticket: "t3", ticketExpiresAt: T0 + 9000 })).toBeUndefined();
      expect(await store.cancelQrCode({ id: "c3", userId: "u1", now: T0 + 1000 })).toBeUndefined();
      expect((await store.findQrCode("c3"))?.status).toBe("SCANNED");
      expect(await store.redeemTicket({ ticket: "t3", appId: "app", now: T0 + 1001 })).toBeUndefined();
    });

    it("lets only the scanner confirm, never before a scan, and never cancel after confirm", async () => {
      await newCode("c4");
      expect(await store.confirmQrCode({ id: "c4", userId: "u1", now: T0, ticket: "t4", ticketExpiresAt: T0 + 1 })).toBeUndefined();
      await store.scanQrCode({ id: "c4", userId: "u1", now: T0 });
      expect(await store.confirmQrCode({ id: "c4", userId: "u2", now: T0, ticket: "t4", ticketExpiresAt: T0 + 1 })).toBeUndefined();
      expect(await store.cancelQrCode({ id: "c4", userId: "u2", now: T0 })).toBeUndefined();
      const confirmed = await store.confirmQrCode({ id: "c4", userId: "u1", now: T0 + 3, ticket: "t4", ticketExpiresAt: T0 + 5000 });
      expect(confirmed).toMatchObject({ status: "AUTHORIZED", ticket: "t4", ticketExpiresAt: T0 + 5000, decidedAt: T0 + 3, redeemedAt: null });
      expect(await store.cancelQrCode({ id: "c4", userId: "u1", now: T0 })).toBeUndefined();
      expect(await store.findQrCode("c4")).toEqual(confirmed);
    });

    it("lets the scanner cancel, after which nothing else goes", async () => {
      await newCode("c7");
      expect(await store.cancelQrCode({ id: "c7", userId: "u1", now: T0 })).toBeUndefined();
      await store.scanQrCode({ id: "c7", userId: "u1", now: T0 });
      expect(await store.cancelQrCode({ id: "c7", userId: "u1", now: T0 + 2 })).toMatchObject({ status: "CANCELLED", decidedAt: T0 + 2, ticket: null });
      expect(await store.confirmQrCode({ id: "c7", userId: "u1", now: T0, ticket: "t7", ticketExpiresAt: T0 + 5000 })).toBeUndefined();
      expect(await store.redeemTicket({ ticket: "t7", appId: "app", now: T0 })).toBeUndefined();
      expect((await store.findQrCode("c7"))?.status).toBe("CANCELLED");
    });

    it("redeems a ticket at most once, only for its app, only before it expires", async () => {
      await authorizedCode("c5", "t5");
      expect(await store.redeemTicket({ ticket: "t5", appId: "other-app", now: T0 })).toBeUndefined();
      expect(await store.redeemTicket({ ticket: "t5", appId: "app", now: T0 + 5000 })).toBeUndefined();
      expect(await store.redeemTicket({ ticket: "unknown", appId: "app", now: T0 })).toBeUndefined();
      expect(await store.redeemTicket({ ticket: "t5", appId: "app", now: T0 + 4999 })).toMatchObject({ scannedBy: "u1", redeemedAt: T0 + 4999 });
      expect(await store.redeemTicket({ ticket: "t5", appId: "app", now: T0 + 4999 })).toBeUndefined();
      expect((await store.findQrCode("c5"))?.redeemedAt).toBe(T0 + 4999);
    });

    it("lets exactly one of 20 concurrent redemptions win", async () => {
      await authorizedCode("c6", "t6");
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.redeemTicket({ ticket: "t6", appId: "app", now: T0 + 1 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("lets exactly one of 20 redemptions spread over two instances win", async () => {
      await authorizedCode("c8", "t8");
      const other = another();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).redeemTicket({ ticket: "t8", appId: "app", now: T0 + 1 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe("watchQrCode", () => {
    /** Resolves with the changes a listener saw once it has seen `count` of them. */
    const recorder = () => {
      const changes: QrCodeChange[] = [];
      const listener = vi.fn((change: QrCodeChange) => void changes.push(change));
      const seen = (count: number) => vi.waitFor(() => expect(changes).toHaveLength(count), { timeout: 5_000, interval: 5 });
      return { changes, listener, seen };
    };

    it("announces scan, confirm and cancel to the code's watchers only", async () => {
      await newCode("w1");
      await newCode("w2");
      const one = recorder();
      const two = recorder();
      const unwatchOne = await store.watchQrCode("w1", one.listener);
      const unwatchTwo = await store.watchQrCode("w2", two.listener);
      expect(store.watcherCount()).toBe(2);

      await store.scanQrCode({ id: "w1", userId: "u1", now: T0 });
      await store.confirmQrCode({ id: "w1", userId: "u1", now: T0, ticket: "tw1", ticketExpiresAt: T0 + 5000 });
      await store.scanQrCode({ id: "w2", userId: "u1", now: T0 });
      await store.cancelQrCode({ id: "w2", userId: "u1", now: T0 });
      await one.seen(2);
      await two.seen(2);
      expect(one.changes).toEqual([{ id: "w1", status: "SCANNED" }, { id: "w1", status: "AUTHORIZED" }]);
      expect(two.changes).toEqual([{ id: "w2", status: "SCANNED" }, { id: "w2", status: "CANCELLED" }]);
      // A redemption is not a transition a watcher waits for.
      await store.redeemTicket({ ticket: "tw1", appId: "app", now: T0 });
      unwatchOne();
      unwatchTwo();
    });

    it("announces nothing for a refused transition", async () => {
      await newCode("w3");
      await newCode("w4");
      const refused = recorder();
      const marker = recorder();
      const unwatch = await store.watchQrCode("w3", refused.listener);
      const unwatchMarker = await store.watchQrCode("w4", marker.listener);

      expect(await store.confirmQrCode({ id: "w3", userId: "u1", now: T0, ticket: "tw3", ticketExpiresAt: T0 + 5000 })).toBeUndefined();
      expect(await store.cancelQrCode({ id: "w3", userId: "u1", now: T0 })).toBeUndefined();
      expect(await store.scanQrCode({ id: "w3", userId: "u1", now: T0 + 120_000 })).toBeUndefined();
      // Announcements arrive in order: once the marker's has, any for w3 would have too.
      await store.scanQrCode({ id: "w4", userId: "u1", now: T0 });
      await marker.seen(1);
      expect(refused.listener).not.toHaveBeenCalled();
      unwatch();
      unwatchMarker();
    });

    it("stops calling a listener the moment it unsubscribes, and counts only live listeners", async () => {
      await newCode("w5");
      await newCode("w6");
      await newCode("w8");
      const gone = recorder();
      const kept = recorder();
      const marker = recorder();
      const unwatchGone = await store.watchQrCode("w5", gone.listener);
      const unwatchKept = await store.watchQrCode("w5", kept.listener);
      const unwatchKeptToo = await store.watchQrCode("w6", kept.listener);
      expect(store.watcherCount()).toBe(3);

      unwatchGone();
      unwatchGone();
      expect(store.watcherCount()).toBe(2);
      await store.scanQrCode({ id: "w5", userId: "u1", now: T0 });
      await kept.seen(1);
      unwatchKept();
      unwatchKeptToo();
      expect(store.watcherCount()).toBe(0);

      const unwatchMarker = await store.watchQrCode("w8", marker.listener);
      await store.scanQrCode({ id: "w6", userId: "u1", now: T0 });
      await store.cancelQrCode({ id: "w5", userId: "u1", now: T0 });
      await store.scanQrCode({ id: "w8", userId: "u1", now: T0 });
      await marker.seen(1);
      unwatchMarker();
      expect(gone.listener).not.toHaveBeenCalled();
      expect(kept.changes).toEqual([{ id: "w5", status: "SCANNED" }]);
      expect(store.watcherCount()).toBe(0);
    });
  });

  describe("users, keys, refresh tokens, revocations, rate limits", () => {
    it("keeps usernames and emails unique without regard to case and finds users by either", async () => {
      expect(await store.insertUser(user("u1", "alice", "alice@example.com"))).toBe(true);
      expect(await store.insertUser(user("u2", "ALICE", "other@example.com"))).toBe(false);
      expect(await store.insertUser(user("u3", "carol", "Alice@Example.com"))).toBe(false);
      expect(await store.insertUser(user("u1", "dave", "dave@example.com"))).toBe(false);
      expect((await store.findUserByLogin("Alice"))?.id).toBe("u1");
      expect((await store.findUserByLogin("alice@example.com"))?.id).toBe("u1");
      expect(await store.findUserByLogin("nobody")).toBeUndefined();
      // The refused inserts left nothing behind.
      expect(await store.findUserById("u2")).toBeUndefined();
      expect(await store.findUserByLogin("carol")).toBeUndefined();
      expect(await store.insertUser(user("u4", "carol", "carol@example.com"))).toBe(true);
    });

    it("stores users as written, with or without username or email, and prefers a username match", async () => {
      const full: UserRecord = { ...user("u1", "Bob", "bob@example.com"), nickname: "Bobby", photo: "http://x/p.png", updatedAt: T0 + 5 };
      expect(await store.insertUser(full)).toBe(true);
      expect(await store.findUserById("u1")).toEqual(full);
      expect(await store.insertUser(user("u2", null, "bob"))).toBe(true);
      expect(await store.insertUser(user("u3", "only-name", null))).toBe(true);
      expect(await store.insertUser(user("u4", null, null))).toBe(true);
      expect(await store.findUserById("u2")).toEqual(user("u2", null, "bob"));
      // "bob" is u1's username and u2's email: the username wins.
      expect((await store.findUserByLogin("BOB"))?.id).toBe("u1");
      expect((await store.findUserByLogin("only-name"))?.id).toBe("u3");
      expect(await store.findUserById("nobody")).toBeUndefined();
    });

    it("keeps the first signing key written, across instances", async () => {
      expect(await store.getSigningKey()).toBeUndefined();
      expect(await store.getSigningKeys()).toEqual([]);
      expect(await store.saveSigningKeyIfAbsent(key("first"))).toEqual(key("first"));
      expect(await another().saveSigningKeyIfAbsent(key("second"))).toEqual(key("first"));
      expect(await store.getSigningKey()).toEqual(key("first"));
      expect(await store.getSigningKeys()).toEqual([key("first")]);
    });

    it("rotates the signing key: the next one signs, the old one is kept until it retires, then dropped", async () => {
      await store.saveSigningKeyIfAbsent(key("k1"));
      // Only the key that signs can be rotated out.
      expect(await store.rotateSigningKey({ currentKid: "nope", next: key("k2", 1), retireAt: T0 + HOUR, now: T0 })).toEqual(key("k1"));
      expect(await store.rotateSigningKey({ currentKid: "k1", next: key("k2", 1), retireAt: T0 + HOUR, now: T0 + 1 })).toEqual(key("k2", 1));
      expect(await store.getSigningKey()).toEqual(key("k2", 1));
      expect(await another().getSigningKeys()).toEqual([key("k2", 1), { ...key("k1"), retireAt: T0 + HOUR }]);

      // A rotation once k1 has retired drops it; k2 waits for its own time.
      expect(await store.rotateSigningKey({ currentKid: "k2", next: key("k3", 2), retireAt: T0 + 3 * HOUR, now: T0 + HOUR })).toEqual(key("k3", 2));
      expect(await store.getSigningKeys()).toEqual([key("k3", 2), { ...key("k2", 1), retireAt: T0 + 3 * HOUR }]);
    });

    it("lets one of two rotations racing from two instances win; both answer the winner", async () => {
      await store.saveSigningKeyIfAbsent(key("k1"));
      const other = another();
      const answers = await Promise.all([
        store.rotateSigningKey({ currentKid: "k1", next: key("a", 1), retireAt: T0 + 100, now: T0 }),
        other.rotateSigningKey({ currentKid: "k1", next: key("b", 1), retireAt: T0 + 100, now: T0 }),
      ]);
      expect(answers[0]).toEqual(answers[1]);
      expect(["a", "b"]).toContain(answers[0]!.kid);
      expect(await store.getSigningKeys()).toHaveLength(2);
    });

    it("consumes a refresh token once, and not at all once its family is revoked", async () => {
      const token = (hash: string) => ({ tokenHash: hash, familyId: "f1", userId: "u1", appId: "app", scope: "openid", createdAt: T0, expiresAt: T0 + 10_000, familyExpiresAt: T0 + 20_000 });
      await store.insertRefreshToken(token("h1"));
      expect(await store.findRefreshToken("h1")).toEqual({ ...token("h1"), rotatedAt: null, revokedAt: null });
      expect(await store.findRefreshToken("unknown")).toBeUndefined();
      expect(await store.consumeRefreshToken({ tokenHash: "h1", appId: "other", now: T0 })).toBeUndefined();
      expect(await store.consumeRefreshToken({ tokenHash: "h1", appId: "app", now: T0 + 10_000 })).toBeUndefined();
      expect(await store.consumeRefreshToken({ tokenHash: "h1", appId: "app", now: T0 + 1 })).toMatchObject({ familyId: "f1", rotatedAt: T0 + 1 });
      expect(await store.consumeRefreshToken({ tokenHash: "h1", appId: "app", now: T0 })).toBeUndefined();
      expect((await store.findRefreshToken("h1"))?.rotatedAt).toBe(T0 + 1);
      await store.insertRefreshToken(token("h2"));
      await store.revokeRefreshTokenFamily({ familyId: "f1", now: T0 + 2 });
      expect((await store.findRefreshToken("h2"))?.revokedAt).toBe(T0 + 2);
      // A token added to the family after the revocation is dead too, and says so itself.
      await store.insertRefreshToken(token("h3"));
      expect((await store.findRefreshToken("h3"))?.revokedAt).toBe(T0 + 2);
      expect(await store.consumeRefreshToken({ tokenHash: "h2", appId: "app", now: T0 })).toBeUndefined();
      expect(await store.consumeRefreshToken({ tokenHash: "h3", appId: "app", now: T0 })).toBeUndefined();
      // Other families are untouched.
      await store.insertRefreshToken({ ...token("h4"), familyId: "f2" });
      expect(await store.consumeRefreshToken({ tokenHash: "h4", appId: "app", now: T0 })).toMatchObject({ familyId: "f2" });
    });

    it("keeps a revoked refresh family revoked on every token's own record when the family's key is evicted", async () => {
      const token = (hash: string, familyId = "fe") => ({ tokenHash: hash, familyId, userId: "u1", appId: "app", scope: "openid", createdAt: T0, expiresAt: T0 + 60_000, familyExpiresAt: T0 + 60_000 });
      await store.insertRefreshToken(token("e1"));
      await store.insertRefreshToken(token("e2"));
      await store.consumeRefreshToken({ tokenHash: "e1", appId: "app", now: T0 + 1 });
      await store.revokeRefreshTokenFamily({ familyId: "fe", now: T0 + 2 });
      await harness.evictFamily("fe");
      expect(await store.findRefreshToken("e1")).toMatchObject({ revokedAt: T0 + 2 });
      expect(await store.findRefreshToken("e2")).toMatchObject({ revokedAt: T0 + 2 });
      expect(await store.consumeRefreshToken({ tokenHash: "e2", appId: "app", now: T0 + 3 })).toBeUndefined();
      expect(await store.consumeRefreshToken({ tokenHash: "e1", appId: "app", now: T0 + 3, reuseIntervalMs: 60_000 })).toBeUndefined();
      // Another family is untouched.
      await store.insertRefreshToken(token("e3", "fo"));
      expect(await store.consumeRefreshToken({ tokenHash: "e3", appId: "app", now: T0 + 3 })).toMatchObject({ familyId: "fo" });
    });

    it("lets exactly one of 20 concurrent rotations of a refresh token win", async () => {
      await store.insertRefreshToken({ tokenHash: "r1", familyId: "f9", userId: "u1", appId: "app", scope: "openid", createdAt: T0, expiresAt: T0 + 10_000, familyExpiresAt: T0 + 10_000 });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.consumeRefreshToken({ tokenHash: "r1", appId: "app", now: T0 + 1 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("answers a rotated refresh token again only within the reuse interval, keeping its first rotation time", async () => {
      const token = { tokenHash: "g1", familyId: "f5", userId: "u1", appId: "app", scope: "openid", createdAt: T0, expiresAt: T0 + 60_000, familyExpiresAt: T0 + 60_000 };
      await store.insertRefreshToken(token);
      const reuse = (now: number, reuseIntervalMs?: number) => store.consumeRefreshToken({ tokenHash: "g1", appId: "app", now, reuseIntervalMs });
      expect(await reuse(T0 + 100, 10_000)).toMatchObject({ rotatedAt: T0 + 100 });
      expect(await reuse(T0 + 200)).toBeUndefined();
      expect(await reuse(T0 + 10_099, 10_000)).toMatchObject({ familyId: "f5", rotatedAt: T0 + 100 });
      expect(await reuse(T0 + 10_100, 10_000)).toBeUndefined();
      expect(await reuse(T0 + 300, 10_000).then((record) => record && { ...record })).toEqual({ ...token, rotatedAt: T0 + 100, revokedAt: null });
      // Never for another app, nor once the family is revoked.
      expect(await store.consumeRefreshToken({ tokenHash: "g1", appId: "other", now: T0 + 300, reuseIntervalMs: 10_000 })).toBeUndefined();
      await store.revokeRefreshTokenFamily({ familyId: "f5", now: T0 + 400 });
      expect(await reuse(T0 + 500, 10_000)).toBeUndefined();
    });

    it("lets all of 20 concurrent rotations within the reuse interval through, and marks the token rotated once", async () => {
      await store.insertRefreshToken({ tokenHash: "g2", familyId: "f6", userId: "u1", appId: "app", scope: "openid", createdAt: T0, expiresAt: T0 + 10_000, familyExpiresAt: T0 + 10_000 });
      const other = another();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).consumeRefreshToken({ tokenHash: "g2", appId: "app", now: T0 + 1 + i, reuseIntervalMs: 5_000 })),
      );
      expect(results.every(Boolean)).toBe(true);
      expect(new Set(results.map((record) => record!.rotatedAt)).size).toBe(1);
    });

    it("remembers revoked access tokens", async () => {
      await store.revokeAccessToken({ jti: "j1", expiresAt: Date.now() + 60_000 });
      await store.revokeAccessToken({ jti: "j1", expiresAt: Date.now() + 60_000 });
      expect(await store.isAccessTokenRevoked("j1")).toBe(true);
      expect(await store.isAccessTokenRevoked("j2")).toBe(false);
    });

    it("counts a fixed window and starts over in the next one", async () => {
      // At the start of a window, so that T0 + 2 is still in it.
      const start = Math.floor(T0 / 60_000) * 60_000 + 60_000;
      const hit = (now: number) => store.consumeRateLimit("ip:1", 2, 60, now);
      expect(await hit(start)).toEqual({ allowed: true, remaining: 1, resetAt: start + 60_000 });
      expect(await hit(start + 1)).toMatchObject({ allowed: true, remaining: 0 });
      const third = await hit(start + 2);
      expect(third).toEqual({ allowed: false, remaining: 0, resetAt: start + 60_000 });
      expect(await hit(third.resetAt)).toMatchObject({ allowed: true, remaining: 1, resetAt: start + 120_000 });
      expect(await store.consumeRateLimit("ip:2", 2, 60, start)).toMatchObject({ allowed: true, remaining: 1 });
      expect(await store.peekRateLimit("ip:1", 60, third.resetAt + 1)).toBe(1);
    });

    it("peeks at a window's count without adding to it, the same from every instance", async () => {
      const start = Math.floor(T0 / 60_000) * 60_000 + 60_000;
      for (let hit = 0; hit < 3; hit++) await store.consumeRateLimit("ip:5", 2, 60, start + hit);
      expect(await store.peekRateLimit("ip:5", 60, start + 3)).toBe(3);
      expect(await store.peekRateLimit("ip:5", 60, start + 4)).toBe(3);
      expect(await another().peekRateLimit("ip:5", 60, start + 5)).toBe(3);
      expect(await store.peekRateLimit("ip:6", 60, start)).toBe(0);
      // The next window starts at nothing.
      expect(await store.peekRateLimit("ip:5", 60, start + 60_000)).toBe(0);
    });

    it("takes a hit back from the current window only, never below none, the same for every instance", async () => {
      const start = Math.floor(T0 / 60_000) * 60_000 + 120_000;
      for (let hit = 0; hit < 2; hit++) await store.consumeRateLimit("ip:7", 2, 60, start + hit);
      await another().releaseRateLimit("ip:7", 60, start + 2);
      expect(await store.peekRateLimit("ip:7", 60, start + 3)).toBe(1);
      expect(await store.consumeRateLimit("ip:7", 2, 60, start + 4)).toMatchObject({ allowed: true, remaining: 0 });
      for (let release = 0; release < 3; release++) await store.releaseRateLimit("ip:7", 60, start + 5);
      expect(await store.peekRateLimit("ip:7", 60, start + 6)).toBe(0);
      // A window that has passed is left alone, and the next one starts at nothing.
      await store.consumeRateLimit("ip:8", 2, 60, start);
      await store.releaseRateLimit("ip:8", 60, start + 60_000);
      expect(await store.peekRateLimit("ip:8", 60, start + 1)).toBe(1);
      expect(await store.peekRateLimit("ip:8", 60, start + 60_000)).toBe(0);
    });

    it("ends a revoked session for every instance, until the latest expiry asked for", async () => {
      const other = another();
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).revokeSession({ sid: "s1", expiresAt: Date.now() + 60_000 + i })));
      expect(await store.isSessionRevoked("s1")).toBe(true);
      expect(await other.isSessionRevoked("s1")).toBe(true);
      expect(await other.isSessionRevoked("s2")).toBe(false);
      // A second, shorter revocation never shortens the first.
      await store.revokeSession({ sid: "s1", expiresAt: Date.now() + 1 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await other.isSessionRevoked("s1")).toBe(true);
      // A session already past its end needs no remembering, and is not remembered.
      await store.revokeSession({ sid: "s3", expiresAt: Date.now() - 1 });
      expect(await store.isSessionRevoked("s3")).toBe(false);
    });

    it("keeps passkeys per user: unique ids, listed oldest first, removed only by their user, surviving a reopen", async () => {
      const passkey = (id: string, userId: string, createdAt: number): PasskeyRecord => ({
        id, userId, publicKey: `key-${id}`, counter: 0, transports: ["internal", "hybrid"], createdAt, lastUsedAt: null,
      });
      expect(await store.insertPasskey(passkey("k2", "u1", T0 + 1))).toBe(true);
      expect(await store.insertPasskey(passkey("k1", "u1", T0))).toBe(true);
      expect(await store.insertPasskey(passkey("k3", "u2", T0))).toBe(true);
      expect(await store.insertPasskey(passkey("k1", "u2", T0 + 2))).toBe(false);
      expect((await store.listPasskeys("u1")).map((each) => each.id)).toEqual(["k1", "k2"]);
      expect(await another().findPasskey("k1")).toEqual(passkey("k1", "u1", T0));
      expect(await store.deletePasskey({ id: "k3", userId: "u1" })).toBe(false);
      expect(await store.deletePasskey({ id: "k1", userId: "u1" })).toBe(true);
      expect(await store.deletePasskey({ id: "k1", userId: "u1" })).toBe(false);
      expect(await store.findPasskey("k1")).toBeUndefined();
      expect((await another().listPasskeys("u1")).map((each) => each.id)).toEqual(["k2"]);
      expect((await store.listPasskeys("u2")).map((each) => each.id)).toEqual(["k3"]);
    });

    it("moves a passkey's counter only forward, for its own user, and a counter of 0 stays usable", async () => {
      const base = { publicKey: "pk", transports: [], createdAt: T0, lastUsedAt: null };
      await store.insertPasskey({ ...base, id: "counting", userId: "u1", counter: 5 });
      await store.insertPasskey({ ...base, id: "zero", userId: "u1", counter: 0 });
      expect(await store.usePasskey({ id: "counting", userId: "u2", counter: 6, now: T0 + 1 })).toBeUndefined();
      expect(await store.usePasskey({ id: "counting", userId: "u1", counter: 5, now: T0 + 1 })).toBeUndefined();
      expect(await store.usePasskey({ id: "counting", userId: "u1", counter: 6, now: T0 + 1 })).toMatchObject({ counter: 6, lastUsedAt: T0 + 1 });
      expect(await store.usePasskey({ id: "counting", userId: "u1", counter: 6, now: T0 + 2 })).toBeUndefined();
      expect(await store.usePasskey({ id: "zero", userId: "u1", counter: 0, now: T0 + 3 })).toMatchObject({ counter: 0, lastUsedAt: T0 + 3 });
      expect(await store.usePasskey({ id: "zero", userId: "u1", counter: 0, now: T0 + 4 })).toMatchObject({ lastUsedAt: T0 + 4 });
      expect(await store.usePasskey({ id: "gone", userId: "u1", counter: 1, now: T0 })).toBeUndefined();
      expect(await another().findPasskey("counting")).toMatchObject({ counter: 6, lastUsedAt: T0 + 1 });
    });

    it("answers a challenge once, from any instance, and never after it expires", async () => {
      const now = Date.now();
      const challenge: PasskeyChallengeRecord = { challenge: "c1", purpose: "confirm", userId: "u1", qrcodeId: "q1", expiresAt: now + 60_000 };
      await store.saveChallenge(challenge);
      await store.saveChallenge({ ...challenge, challenge: "c2", purpose: "sign-in", userId: null, qrcodeId: null });
      await store.saveChallenge({ ...challenge, challenge: "c3", expiresAt: now + 1000 });
      const taken = await Promise.all([store.takeChallenge({ challenge: "c1", now }), another().takeChallenge({ challenge: "c1", now })]);
      expect(taken.filter(Boolean)).toEqual([challenge]);
      expect(await another().takeChallenge({ challenge: "c2", now })).toEqual({ ...challenge, challenge: "c2", purpose: "sign-in", userId: null, qrcodeId: null });
      expect(await store.takeChallenge({ challenge: "c3", now: now + 1000 })).toBeUndefined();
      expect(await store.takeChallenge({ challenge: "unknown", now })).toBeUndefined();
    });

    it("closes more than once", async () => {
      await store.findQrCode("x");
      await Promise.all([store.close(), store.close()]);
      await store.close();
    });
  });
});

describe("RedisStore only", () => {
  let prefix: string;
  const stores: RedisStore[] = [];
  const open = () => {
    const store = new RedisStore({ url: redis.url, keyPrefix: prefix });
    stores.push(store);
    return store;
  };
  const raw = () => createClient({ url: redis.url });
  const code = (id: string, ttlMs = 120_000) =>
    ({ id, appId: "app", content: `http://x/m/scan/${id}`, customData: null, context: null, pollSecretHash: null, createdAt: T0, expiresAt: T0 + ttlMs });

  beforeEach(() => {
    prefix = `only-${process.pid}-${++redisPrefixes}:`;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it("refuses a refresh token whose family key is gone (evicted or lost) rather than trust it without its record", async () => {
    const store = open();
    await store.insertRefreshToken({ tokenHash: "l1", familyId: "fl", userId: "u1", appId: "app", scope: "openid", createdAt: T0, expiresAt: T0 + 60_000, familyExpiresAt: T0 + 60_000 });
    const client = await raw().connect();
    try {
      expect(await client.del(`${prefix}refresh:{fl}`)).toBe(1);
    } finally {
      client.destroy();
    }
    expect(await store.consumeRefreshToken({ tokenHash: "l1", appId: "app", now: T0 + 1 })).toBeUndefined();
  });

  it("wakes a watcher on one instance for a transition made through another", async () => {
    const watching = open();
    const acting = open();
    await acting.insertQrCode(code("x1"));
    const changes: QrCodeChange[] = [];
    const unwatch = await watching.watchQrCode("x1", (change) => changes.push(change));
    expect(await acting.scanQrCode({ id: "x1", userId: "u1", now: T0 })).toBeDefined();
    await vi.waitFor(() => expect(changes).toEqual([{ id: "x1", status: "SCANNED" }]), { timeout: 5_000, interval: 5 });
    expect(acting.watcherCount()).toBe(0);
    unwatch();
    expect(watching.watcherCount()).toBe(0);
  });

  it("adopts the signing key a store from before rotation kept, so the tokens it signed stay valid", async () => {
    const client = raw();
    await client.connect();
    try {
      const legacy = { kid: "old", alg: "RS256", privateJwk: "{}", publicJwk: "{}", createdAt: T0 };
      await client.set(`${prefix}signing-key`, JSON.stringify(legacy));
      const store = open();
      expect(await store.saveSigningKeyIfAbsent(key("new"))).toEqual({ ...legacy, retireAt: null });
      expect(await store.getSigningKeys()).toEqual([{ ...legacy, retireAt: null }]);
    } finally {
      client.destroy();
    }
  });

  it("keeps instances with different prefixes apart", async () => {
    const one = open();
    const other = new RedisStore({ url: redis.url, keyPrefix: `${prefix}other:` });
    stores.push(other);
    await one.insertQrCode(code("x2"));
    expect(await other.findQrCode("x2")).toBeUndefined();
    const changes: QrCodeChange[] = [];
    await other.insertQrCode(code("x2"));
    const unwatch = await other.watchQrCode("x2", (change) => changes.push(change));
    const seen: QrCodeChange[] = [];
    const unwatchOne = await one.watchQrCode("x2", (change) => seen.push(change));
    await one.scanQrCode({ id: "x2", userId: "u1", now: T0 });
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5_000, interval: 5 });
    expect(changes).toEqual([]);
    unwatch();
    unwatchOne();
  });

  it("gives every key a TTL: codes an hour past expiry, tickets, tokens and windows with theirs", async () => {
    const store = open();
    const client = raw();
    await client.connect();
    try {
      const now = Date.now();
      await store.insertQrCode({ ...code("x3"), createdAt: now, expiresAt: now + 120_000 });
      const codeKey = `${prefix}qr:{x3}`;
      const hour = 3600_000;
      expect(await client.pTTL(codeKey)).toBeGreaterThan(hour + 110_000);
      expect(await client.pTTL(codeKey)).toBeLessThanOrEqual(hour + 120_000);

      await store.scanQrCode({ id: "x3", userId: "u1", now });
      await store.confirmQrCode({ id: "x3", userId: "u1", now, ticket: "tx3", ticketExpiresAt: now + 300_000 });
      // The ticket outlives the code: the code is kept an hour past the ticket.
      expect(await client.pTTL(codeKey)).toBeGreaterThan(hour + 290_000);
      const ticketTtl = await client.pTTL(`${prefix}qr-ticket:tx3`);
      expect(ticketTtl).toBeGreaterThan(290_000);
      expect(ticketTtl).toBeLessThanOrEqual(300_000);

      await store.insertRefreshToken({ tokenHash: "hx", familyId: "fx", userId: "u1", appId: "app", scope: "openid", createdAt: now, expiresAt: now + 50_000, familyExpiresAt: now + 50_000 });
      for (const key of [`${prefix}refresh-token:hx`, `${prefix}refresh:{fx}:hx`, `${prefix}refresh:{fx}`]) {
        expect(await client.pTTL(key)).toBeGreaterThan(40_000);
      }
      await store.revokeAccessToken({ jti: "jx", expiresAt: now + 30_000 });
      expect(await client.pTTL(`${prefix}revoked-jti:jx`)).toBeGreaterThan(20_000);
      // Already expired: nothing to remember.
      await store.revokeAccessToken({ jti: "jy", expiresAt: now - 1 });
      expect(await store.isAccessTokenRevoked("jy")).toBe(false);

      const { resetAt } = await store.consumeRateLimit("ip:9", 5, 60, now);
      const windowTtl = await client.pTTL(`${prefix}rate:ip:9:${resetAt - 60_000}`);
      expect(windowTtl).toBeGreaterThan(0);
      expect(windowTtl).toBeLessThanOrEqual(resetAt - now);

      await store.revokeSession({ sid: "sx", expiresAt: now + 40_000 });
      const sessionTtl = await client.pTTL(`${prefix}revoked-session:sx`);
      expect(sessionTtl).toBeGreaterThan(30_000);
      expect(sessionTtl).toBeLessThanOrEqual(40_000);

      // Nothing without a TTL but the signing key and users.
      await store.insertUser(user("u1", "ann", "ann@example.com"));
      const keys = await client.keys(`${prefix}*`);
      const forever: string[] = [];
      for (const key of keys) if ((await client.pTTL(key)) < 0) forever.push(key);
      expect(forever.sort()).toEqual([`${prefix}{users}:email:ann@example.com`, `${prefix}{users}:id:u1`, `${prefix}{users}:username:ann`]);
    } finally {
      client.destroy();
    }
  });

  it("resubscribes after its subscriber connection drops, and wakes watchers that may have missed something", async () => {
    const watching = open();
    const acting = open();
    await acting.insertQrCode(code("x4"));
    const changes: QrCodeChange[] = [];
    const unwatch = await watching.watchQrCode("x4", (change) => changes.push(change));
    const client = raw();
    await client.connect();
    try {
      const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        // The subscriber is cut off and the code changes in one transaction: the announcement
        // reaches no one, so only the wake after resubscribing tells the watcher.
        const [killed] = await client
          .multi()
          .clientKill({ filter: "TYPE", type: "pubsub" })
          .hSet(`${prefix}qr:{x4}`, { status: "SCANNED", scannedBy: "u1", scannedAt: String(T0) })
          .exec();
        expect(killed).toBeGreaterThan(0);
        await vi.waitFor(() => expect(changes).toEqual([{ id: "x4", status: "SCANNED" }]), { timeout: 10_000, interval: 10 });
        // Once resubscribed, announcements flow again.
        await vi.waitFor(async () => expect(await client.pubSubNumSub(`${prefix}qr-changes`)).toEqual({ [`${prefix}qr-changes`]: 1 }), { timeout: 10_000, interval: 20 });
        await acting.cancelQrCode({ id: "x4", userId: "u1", now: T0 });
        await vi.waitFor(() => expect(changes).toContainEqual({ id: "x4", status: "CANCELLED" }), { timeout: 5_000, interval: 5 });
      } finally {
        consoleError.mockRestore();
      }
    } finally {
      unwatch();
      client.destroy();
    }
  });

  it("keeps calling the other listeners when one throws", async () => {
    const store = open();
    await store.insertQrCode(code("x5"));
    const changes: QrCodeChange[] = [];
    const logError = vi.spyOn(log, "error").mockImplementation(() => {});
    try {
      const unwatchThrowing = await store.watchQrCode("x5", () => {
        throw new Error("listener failed");
      });
      const unwatch = await store.watchQrCode("x5", (change) => changes.push(change));
      await store.scanQrCode({ id: "x5", userId: "u1", now: T0 });
      await vi.waitFor(() => expect(changes).toHaveLength(1), { timeout: 5_000, interval: 5 });
      expect(logError).toHaveBeenCalledWith("qr_code.watcher_failed", expect.any(String), expect.objectContaining({ qrcodeId: "x5" }));
      // The subscriber connection survived: the next announcement arrives too.
      await store.cancelQrCode({ id: "x5", userId: "u1", now: T0 });
      await vi.waitFor(() => expect(changes).toHaveLength(2), { timeout: 5_000, interval: 5 });
      unwatchThrowing();
      unwatch();
    } finally {
      logError.mockRestore();
    }
  });

  it("reports a connection failure with the host, never the password", async () => {
    const dead = new RedisStore({ url: `redis://user:s3cret-pass@127.0.0.1:1`, keyPrefix: prefix });
    stores.push(dead);
    const failure = await dead.findQrCode("x").then(() => undefined, (error: unknown) => error as Error);
    expect(failure?.message).toContain("127.0.0.1:1");
    expect(failure?.message).not.toContain("s3cret");
    // It tries again on the next call rather than remembering the failure.
    await expect(dead.findQrCode("x")).rejects.toThrow("127.0.0.1:1");
  });

  it("survives a Redis crash: reconnects, reloads its scripts, resubscribes, and has lost nothing", async () => {
    const server = await startRedisServer({ appendOnly: true });
    try {
      const store = new RedisStore({ url: server.url, keyPrefix: prefix });
      stores.push(store);
      await store.insertQrCode(code("x6"));
      const changes: QrCodeChange[] = [];
      const unwatch = await store.watchQrCode("x6", (change) => changes.push(change));
      const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        await server.restart();
        // Calls fail fast (StoreUnavailableError) until the reconnection, then work again.
        await vi.waitFor(async () => expect(await store.scanQrCode({ id: "x6", userId: "u1", now: T0 })).toMatchObject({ status: "SCANNED" }), {
          timeout: 10_000,
          interval: 100,
        });
        await vi.waitFor(() => expect(changes).toContainEqual({ id: "x6", status: "SCANNED" }), { timeout: 10_000, interval: 10 });
      } finally {
        consoleError.mockRestore();
      }
      unwatch();
      await store.close();
    } finally {
      await server.stop();
    }
  });

  it("fails fast while Redis is down (no offline queue) and comes back by itself with its watchers", async () => {
    const server = await startRedisServer({ appendOnly: true });
    try {
      const store = new RedisStore({ url: server.url, keyPrefix: prefix });
      stores.push(store);
      await store.insertQrCode(code("x7"));
      const changes: QrCodeChange[] = [];
      const unwatch = await store.watchQrCode("x7", (change) => changes.push(change));
      await server.kill();
      const failures = await Promise.all(
        Array.from({ length: 5 }, () => store.findQrCode("x7").then(() => undefined, (error: unknown) => error)),
      );
      for (const failure of failures) expect(failure, String(failure)).toSatisfy(isStoreUnavailable);
      await expect(store.ping()).rejects.toSatisfy(isStoreUnavailable);
      await server.start();
      await vi.waitFor(() => store.ping(), { timeout: 10_000, interval: 100 });
      // Subscribed again: a transition made elsewhere reaches the watcher.
      const other = new RedisStore({ url: server.url, keyPrefix: prefix });
      stores.push(other);
      await vi.waitFor(async () => {
        await other.scanQrCode({ id: "x7", userId: "u1", now: T0 }).catch(() => undefined);
        expect(changes).toContainEqual({ id: "x7", status: "SCANNED" });
      }, { timeout: 10_000, interval: 200 });
      unwatch();
    } finally {
      await server.stop();
    }
  });

  it("closes at once while still trying to connect", async () => {
    const dead = new RedisStore({ url: "redis://127.0.0.1:1", keyPrefix: prefix });
    const pending = dead.findQrCode("x").then(() => "answered", () => "refused");
    const watching = dead.watchQrCode("x", () => {}).then(() => "answered", () => "refused");
    const started = Date.now();
    await dead.close();
    expect(await Promise.all([pending, watching])).toEqual(["refused", "refused"]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(dead.watcherCount()).toBe(0);
  });

  it("refuses every call once closed", async () => {
    const store = open();
    await store.close();
    await expect(store.findQrCode("x")).rejects.toThrow(/closed/);
    await expect(store.watchQrCode("x", () => {})).rejects.toThrow(/closed/);
  });
});
