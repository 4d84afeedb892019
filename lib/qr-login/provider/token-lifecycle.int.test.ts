import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";
import type { UserRecord } from "@/lib/qr-login/provider/store/types";
import { projectRoot } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

import { REFRESH_TOKEN_TTL_SECONDS, type ProviderDeps } from "./deps";
import { testProviderSettings } from "../../../test-support/test-settings";
import { startProvider } from "./provider";
import { signin } from "../../../test-support/test-client";
import {
  AccessTokenError,
  hashRefreshToken,
  issueTokens,
  jwks,
  KEY_ROTATION_MARGIN_MS,
  revokeToken,
  rotateRefreshToken,
  rotateSigningKey,
  verifyAccessToken,
} from "./tokens";

let dir: string;
let deps: ProviderDeps;
let clock: number;
let alice: UserRecord;

const DAY = 86_400_000;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "token-lifecycle-"));
  clock = Date.now();
  deps = {
    store: new SqliteStore(path.join(dir, "provider.sqlite")),
    now: () => clock,
    settings: testProviderSettings({ refreshTokenAbsoluteLifetimeSeconds: 45 * 86_400 }),
  };
  await startProvider(deps, { seed: true });
  alice = (await deps.store.findUserByLogin("alice"))!;
});
afterEach(async () => {
  await deps.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rotated = async (refreshToken: string) => {
  const outcome = await rotateRefreshToken(deps, refreshToken);
  if (!outcome.ok) throw new Error(`refresh refused: ${outcome.reason}`);
  return outcome.tokens;
};

describe("refresh token reuse interval", () => {
  it("gives two refreshes of one token at the same instant each a working successor", async () => {
    const { refreshToken } = await issueTokens(deps, alice);
    const [first, second] = await Promise.all([rotateRefreshToken(deps, refreshToken), rotateRefreshToken(deps, refreshToken)]);
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: true });
    if (!first.ok || !second.ok) return;
    expect(first.tokens.refreshToken).not.toBe(second.tokens.refreshToken);
    // Whichever the browser ends up holding, the user stays signed in.
    clock += 60_000;
    await rotated(first.tokens.refreshToken);
    await rotated(second.tokens.refreshToken);
  });

  it("answers a replay within the interval with a successor, and revokes the family for one after it", async () => {
    const { refreshToken } = await issueTokens(deps, alice);
    const successor = await rotated(refreshToken);
    clock += 9_999;
    const raced = await rotated(refreshToken);

    clock += 1;
    expect(await rotateRefreshToken(deps, refreshToken)).toEqual({ ok: false, reason: "reused" });
    // The family is gone: every successor, and its access tokens stay valid only until they expire.
    expect(await rotateRefreshToken(deps, successor.refreshToken)).toMatchObject({ ok: false });
    expect(await rotateRefreshToken(deps, raced.refreshToken)).toMatchObject({ ok: false });
  });

  it("treats a replay as theft at once when the interval is 0", async () => {
    deps.settings.refreshTokenReuseIntervalSeconds = 0;
    const { refreshToken } = await issueTokens(deps, alice);
    const successor = await rotated(refreshToken);
    expect(await rotateRefreshToken(deps, refreshToken)).toEqual({ ok: false, reason: "reused" });
    expect(await rotateRefreshToken(deps, successor.refreshToken)).toMatchObject({ ok: false });
  });
});

describe("refresh family absolute lifetime", () => {
  it("renews a family by rotation only until its absolute end, counted from the sign-in", async () => {
    const signIn = clock;
    let { refreshToken } = await issueTokens(deps, alice);
    // Rotated every 20 days, each token's own 30-day life would carry the family on forever.
    clock = signIn + 20 * DAY;
    ({ refreshToken } = await rotated(refreshToken));
    clock = signIn + 40 * DAY;
    ({ refreshToken } = await rotated(refreshToken));
    const last = await deps.store.findRefreshToken(hashRefreshToken(refreshToken));
    expect(last).toMatchObject({ familyExpiresAt: signIn + 45 * DAY, expiresAt: signIn + 45 * DAY });

    clock = signIn + 45 * DAY - 1;
    ({ refreshToken } = await rotated(refreshToken));
    clock = signIn + 45 * DAY;
    expect(await rotateRefreshToken(deps, refreshToken)).toEqual({ ok: false, reason: "expired-or-revoked" });
  });

  it("still ends a family that goes unused for a token's own lifetime", async () => {
    const { refreshToken } = await issueTokens(deps, alice);
    clock += REFRESH_TOKEN_TTL_SECONDS * 1000;
    expect(await rotateRefreshToken(deps, refreshToken)).toEqual({ ok: false, reason: "expired-or-revoked" });
  });
});

describe("revocation", () => {
  it("revokes an access token by its jti with either hint, and a refresh token with either hint", async () => {
    const refusedAs = async (token: string) =>
      verifyAccessToken(deps, token).then(
        () => "valid",
        (error: unknown) => (error instanceof AccessTokenError ? error.reason : "thrown"),
      );
    const one = await issueTokens(deps, alice);
    const two = await issueTokens(deps, alice);
    await revokeToken(deps, one.accessToken, "access_token");
    await revokeToken(deps, two.accessToken, "refresh_token");
    expect(await refusedAs(one.accessToken)).toBe("revoked");
    expect(await refusedAs(two.accessToken)).toBe("revoked");
    // Only the access token: its refresh family goes on.
    await rotated(one.refreshToken);

    await revokeToken(deps, two.refreshToken, "access_token");
    expect(await rotateRefreshToken(deps, two.refreshToken)).toMatchObject({ ok: false });
    // Nonsense is no error.
    await revokeToken(deps, "not-a-token", "access_token");
    await revokeToken(deps, "a.b.c", "access_token");
  });
});

describe("signing key rotation", () => {
  const kidOf = (token: string) => decodeProtectedHeader(token).kid;
  const verifiedByJwks = async (idToken: string) =>
    jwtVerify(idToken, createLocalJWKSet(await jwks(deps)), { issuer: deps.settings.issuer, audience: "app", currentDate: new Date(clock) });

  it("signs with the new kid at once, keeps the old key published until its last token expires, then drops it", async () => {
    const before = await issueTokens(deps, alice);
    const oldKid = kidOf(before.idToken);
    const rotatedAt = clock;
    const newKid = await rotateSigningKey(deps);
    expect(newKid).not.toBe(oldKid);

    const after = await issueTokens(deps, alice);
    expect(kidOf(after.idToken)).toBe(newKid);
    expect(kidOf(after.accessToken)).toBe(newKid);
    expect((await jwks(deps)).keys.map((key) => key.kid)).toEqual([newKid, oldKid]);

    // What the old key signed still verifies, until it expires.
    clock = rotatedAt + deps.settings.accessTokenTtlSeconds * 1000 - 1_000;
    await verifiedByJwks(before.idToken);
    expect((await verifyAccessToken(deps, before.accessToken)).user.id).toBe(alice.id);
    await verifiedByJwks(after.idToken);

    clock = rotatedAt + deps.settings.accessTokenTtlSeconds * 1000 + KEY_ROTATION_MARGIN_MS;
    expect((await jwks(deps)).keys.map((key) => key.kid)).toEqual([newKid]);
    const renewed = await issueTokens(deps, alice);
    await verifiedByJwks(renewed.idToken);
    expect(kidOf(renewed.idToken)).toBe(newKid);
  });

  it("stops verifying a rotated-out key when it retires, also in a process that read it while it signed", async () => {
    // The other process issues longer-lived tokens than the rotation allowed for (a changed
    // ACCESS_TOKEN_TTL_SECONDS): one is still in date when its key retires.
    const elsewhere: ProviderDeps = {
      ...deps,
      store: new SqliteStore(path.join(dir, "provider.sqlite")),
      settings: { ...deps.settings, accessTokenTtlSeconds: deps.settings.accessTokenTtlSeconds * 3 },
    };
    try {
      const early = await issueTokens(elsewhere, alice);
      expect((await verifyAccessToken(elsewhere, early.accessToken)).user.id).toBe(alice.id);
      const rotatedAt = clock;
      await rotateSigningKey(deps);
      clock = rotatedAt + deps.settings.accessTokenTtlSeconds * 1000 + KEY_ROTATION_MARGIN_MS - 1;
      expect((await verifyAccessToken(elsewhere, early.accessToken)).user.id).toBe(alice.id);
      clock += 1;
      await expect(verifyAccessToken(elsewhere, early.accessToken)).rejects.toMatchObject({ reason: "invalid" });
      await expect(verifyAccessToken(deps, early.accessToken)).rejects.toMatchObject({ reason: "invalid" });
    } finally {
      await elsewhere.store.close();
    }
  });

  it("with revoke, ends the old key at once: out of the JWKS, and its tokens refused in every process", async () => {
    const elsewhere: ProviderDeps = { ...deps, store: new SqliteStore(path.join(dir, "provider.sqlite")) };
    try {
      const early = await issueTokens(elsewhere, alice);
      const oldKid = kidOf(early.accessToken);
      // The other process has verified with the old key, so knows it.
      expect((await verifyAccessToken(elsewhere, early.accessToken)).user.id).toBe(alice.id);

      const newKid = await rotateSigningKey(deps, { revoke: true });
      expect(newKid).not.toBe(oldKid);
      expect((await jwks(deps)).keys.map((key) => key.kid)).toEqual([newKid]);
      expect((await jwks(elsewhere)).keys.map((key) => key.kid)).toEqual([newKid]);
      for (const process of [deps, elsewhere]) {
        await expect(verifyAccessToken(process, early.accessToken)).rejects.toMatchObject({ reason: "invalid" });
      }
      await expect(verifiedByJwks(early.idToken)).rejects.toThrow();
      // The new key signs everywhere, and its tokens verify everywhere.
      const late = await issueTokens(elsewhere, alice);
      expect(kidOf(late.accessToken)).toBe(newKid);
      expect((await verifyAccessToken(deps, late.accessToken)).user.id).toBe(alice.id);
      // Refresh tokens are not signed: a session goes on with new tokens at its next refresh.
      expect(kidOf((await rotated(early.refreshToken)).accessToken)).toBe(newKid);
    } finally {
      await elsewhere.store.close();
    }
  });

  it("takes effect in every process sharing the store", async () => {
    const elsewhere: ProviderDeps = { ...deps, store: new SqliteStore(path.join(dir, "provider.sqlite")) };
    try {
      const early = await issueTokens(elsewhere, alice);
      // The other process has read the old key before the rotation.
      await verifyAccessToken(elsewhere, early.accessToken);
      const newKid = await rotateSigningKey(deps);
      const late = await issueTokens(elsewhere, alice);
      expect(kidOf(late.accessToken)).toBe(newKid);
      // Each verifies the other's tokens, the new key's included.
      expect((await verifyAccessToken(elsewhere, late.accessToken)).user.id).toBe(alice.id);
      expect((await verifyAccessToken(deps, early.accessToken)).user.id).toBe(alice.id);
      const fromHere = await issueTokens(deps, alice);
      expect((await verifyAccessToken(elsewhere, fromHere.accessToken)).user.id).toBe(alice.id);
    } finally {
      await elsewhere.store.close();
    }
  });
});

describe("npm run rotate-signing-key -- --revoke, against a running server", () => {
  const server = sharedAppServer();

  function rotateSigningKeyScript(args: string[]): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, [path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs"), "--conditions=react-server", "scripts/rotate-signing-key.mts", ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...server.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
  }

  it("ends the old key in the running server at once: out of its JWKS, and its access tokens refused", async () => {
    const { access_token: accessToken } = await signin(server, "alice", "client_secret_post");
    const me = () => fetch(`${server.origin}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect((await me()).status).toBe(200);
    const oldKid = decodeProtectedHeader(accessToken).kid;

    expect(await rotateSigningKeyScript(["--bogus"])).toMatchObject({ code: 2, output: expect.stringContaining("Usage: npm run rotate-signing-key [-- --revoke]") });
    const { code, output } = await rotateSigningKeyScript(["--revoke"]);
    expect(output).toContain(`Signing key revoked: ${oldKid} -> `);
    expect(code).toBe(0);

    expect((await me()).status).toBe(401);
    const published = (await (await fetch(`${server.origin}/oidc/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((key) => key.kid)).not.toContain(oldKid);
    expect(published.keys).toHaveLength(1);
    // New tokens come from the new key and work.
    const fresh = await signin(server, "alice", "client_secret_post");
    expect(decodeProtectedHeader(fresh.access_token).kid).toBe(published.keys[0]!.kid);
    expect((await fetch(`${server.origin}/oidc/me`, { headers: { authorization: `Bearer ${fresh.access_token}` } })).status).toBe(200);
  });
});
