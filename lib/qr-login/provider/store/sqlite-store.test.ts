import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
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
    const key = (kid: string) => ({ kid, alg: "RS256" as const, privateJwk: "{}", publicJwk: "{}", createdAt: T0, retireAt: null });
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

describe("a file from an earlier version", () => {
  it("gains the columns for family ends and key retirement, and reads old rows sensibly", async () => {
    const old = path.join(dir, "old.sqlite");
    const db = new Database(old);
    db.exec(`
      CREATE TABLE signing_keys (slot TEXT PRIMARY KEY, kid TEXT NOT NULL, alg TEXT NOT NULL, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY, family_id TEXT NOT NULL, user_id TEXT NOT NULL, app_id TEXT NOT NULL, scope TEXT NOT NULL,
        created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, rotated_at INTEGER, revoked_at INTEGER);
      INSERT INTO signing_keys VALUES ('current', 'k0', 'RS256', '{}', '{}', ${T0});
      INSERT INTO refresh_tokens VALUES ('h0', 'f0', 'u1', 'app', 'openid', ${T0}, ${T0 + 60_000}, NULL, NULL);
    `);
    db.close();
    const migrated = new SqliteStore(old);
    try {
      expect(await migrated.getSigningKeys()).toEqual([{ kid: "k0", alg: "RS256", privateJwk: "{}", publicJwk: "{}", createdAt: T0, retireAt: null }]);
      // Its family ends with it: rotation cannot carry a family of unknown age on for ever.
      expect(await migrated.findRefreshToken("h0")).toMatchObject({ expiresAt: T0 + 60_000, familyExpiresAt: T0 + 60_000 });
    } finally {
      await migrated.close();
    }
  });
});

describe("durability", () => {
  /** The synchronous level (0 OFF, 1 NORMAL, 2 FULL) each statement of `write` ran under. */
  async function levelsDuring(write: () => Promise<unknown>): Promise<number[]> {
    const db = (store as unknown as { db: Database.Database }).db;
    const prepare = db.prepare.bind(db);
    const levels: number[] = [];
    const statements = (store as unknown as { statements: Map<string, unknown> }).statements;
    statements.clear();
    db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      for (const method of ["run", "get", "all"] as const) {
        const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          levels.push(db.pragma("synchronous", { simple: true }) as number);
          return original(...args);
        };
      }
      return statement;
    }) as typeof db.prepare;
    try {
      await write();
    } finally {
      db.prepare = prepare;
      statements.clear();
    }
    return levels;
  }

  it("commits a confirmation, a redemption, a revoked token or session with synchronous=FULL, and a rate-limit count or a new code NORMAL", async () => {
    await newCode("d1");
    await store.scanQrCode({ id: "d1", userId: "u1", now: T0 });
    expect(await levelsDuring(() => store.confirmQrCode({ id: "d1", userId: "u1", now: T0, ticket: "td1", ticketExpiresAt: T0 + 5000 }))).toEqual([2]);
    expect(await levelsDuring(() => store.redeemTicket({ ticket: "td1", appId: "app", now: T0 + 1 }))).toEqual([2]);
    expect(await levelsDuring(() => store.revokeAccessToken({ jti: "j1", expiresAt: T0 + 5000 }))).toEqual([2]);
    expect(await levelsDuring(() => store.revokeSession({ sid: "s1", expiresAt: T0 + 5000 }))).toEqual([2]);
    expect(await levelsDuring(() => store.revokeRefreshTokenFamily({ familyId: "f1", now: T0 }))).toEqual([2]);
    expect(await levelsDuring(() => store.consumeRateLimit("k", 10, 60, T0))).toEqual([1]);
    expect(await levelsDuring(() => newCode("d2"))).toEqual([1]);
  });

  it("commits a passkey added, used or removed and a challenge taken with synchronous=FULL, a challenge issued NORMAL", async () => {
    const passkey = { id: "k1", userId: "u1", publicKey: "pk", counter: 0, transports: [], createdAt: T0, lastUsedAt: null };
    expect(await levelsDuring(() => store.insertPasskey(passkey))).toEqual([2]);
    expect(await levelsDuring(() => store.usePasskey({ id: "k1", userId: "u1", counter: 1, now: T0 }))).toEqual([2]);
    expect(await levelsDuring(() => store.deletePasskey({ id: "k1", userId: "u1" }))).toEqual([2]);
    const challenge = { challenge: "c1", purpose: "confirm" as const, userId: "u1", qrcodeId: "q1", expiresAt: Date.now() + 60_000 };
    expect(await levelsDuring(() => store.saveChallenge(challenge))).toEqual([1]);
    expect(await levelsDuring(() => store.takeChallenge({ challenge: "c1", now: Date.now() }))).toEqual([2]);
  });
});
