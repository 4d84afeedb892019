import "server-only";

import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  calculateJwkThumbprint,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
} from "jose";

import type { TokenSet } from "@/lib/qr-login/client/authing/schemas";
import type { SigningKeyRecord, Store, UserRecord } from "@/lib/qr-login/provider/store/types";

import type { ProviderDeps } from "./deps";
import { profileClaimsOf } from "./users";

export const TOKEN_SCOPE = "openid profile email offline_access";
/** RFC 9068's type for JWT access tokens, so an id_token can never pass as an access token. */
const ACCESS_TOKEN_TYP = "at+jwt";

type LoadedKey = { kid: string; privateKey: CryptoKey | Uint8Array; publicKey: CryptoKey | Uint8Array; publicJwk: JWK };
/** Imported keys by kid, per store: importing is the cost, a record read from the store is cheap. */
const importedKeys = new WeakMap<Store, Map<string, Promise<LoadedKey>>>();

/**
 * How long after a rotation a token the old key signed may still be issued: another process may
 * have read the old key just before the rotation, and instances' clocks differ a little.
 */
export const KEY_ROTATION_MARGIN_MS = 60_000;

async function createSigningKey(now: number): Promise<SigningKeyRecord> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg: "RS256",
    privateJwk: JSON.stringify(await exportJWK(privateKey)),
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg: "RS256", use: "sig" }),
    createdAt: now,
    retireAt: null,
  };
}

function loadKey(store: Store, record: SigningKeyRecord): Promise<LoadedKey> {
  let cache = importedKeys.get(store);
  if (!cache) importedKeys.set(store, (cache = new Map()));
  let loaded = cache.get(record.kid);
  if (!loaded) {
    const publicJwk = JSON.parse(record.publicJwk) as JWK;
    loaded = (async () => ({
      kid: record.kid,
      privateKey: await importJWK(JSON.parse(record.privateJwk) as JWK, "RS256"),
      publicKey: await importJWK(publicJwk, "RS256"),
      publicJwk,
    }))();
    const ours = loaded;
    ours.catch(() => cache.get(record.kid) === ours && cache.delete(record.kid));
    cache.set(record.kid, ours);
  }
  return loaded;
}

const published = (record: SigningKeyRecord, now: number) => record.retireAt === null || record.retireAt > now;

/**
 * The key that signs now, read from the store each time so that a rotation made by any process
 * takes effect everywhere at once. Made on first start; of two processes, the first writer wins.
 */
export async function signingKey({ store, now }: Pick<ProviderDeps, "store" | "now">): Promise<LoadedKey> {
  const record = (await store.getSigningKey()) ?? (await store.saveSigningKeyIfAbsent(await createSigningKey(now())));
  return loadKey(store, record);
}

/**
 * The public key for a token's kid: the signing key, or a rotated-out one not yet retired. The
 * records are read from the store at every verification (one small read, beside the revocation
 * and user reads a verification makes anyway; only imported keys are kept), so a rotation, a
 * retirement or a revocation made by any process holds in every process at once.
 */
async function verificationKey(deps: Pick<ProviderDeps, "store" | "now">, kid: unknown): Promise<LoadedKey | undefined> {
  if (typeof kid !== "string") return undefined;
  const record = (await deps.store.getSigningKeys()).find((each) => each.kid === kid);
  return record && published(record, deps.now()) ? loadKey(deps.store, record) : undefined;
}

/**
 * A new key signs from now on; the old one stays in the JWKS until the last token it signed has
 * expired (plus a margin), then drops out. With `revoke` (a leaked key) it drops out at once:
 * out of the JWKS, and every token it signed is refused. Answers the kid that signs afterwards.
 */
export async function rotateSigningKey(deps: Pick<ProviderDeps, "store" | "now" | "settings">, { revoke = false } = {}): Promise<string> {
  const current = await signingKey(deps);
  const now = deps.now();
  const signing = await deps.store.rotateSigningKey({
    currentKid: current.kid,
    next: await createSigningKey(now),
    retireAt: revoke ? now : now + deps.settings.accessTokenTtlSeconds * 1000 + KEY_ROTATION_MARGIN_MS,
    now,
  });
  return signing.kid;
}

export async function jwks(deps: Pick<ProviderDeps, "store" | "now">): Promise<{ keys: JWK[] }> {
  const records = (await deps.store.getSigningKeys()).filter((record) => published(record, deps.now()));
  return { keys: records.map((record) => JSON.parse(record.publicJwk) as JWK) };
}

export const hashRefreshToken = (token: string) => createHash("sha256").update(token).digest("hex");

export type IssuedTokens = {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  scope: string;
  expiresIn: number;
};

/** Signs an access and an id token and starts (or continues) a refresh-token family. */
export async function issueTokens(
  deps: ProviderDeps,
  user: UserRecord,
  family: { familyId: string; familyExpiresAt: number; scope: string } | undefined = undefined,
): Promise<IssuedTokens> {
  const {
    familyId = randomUUID(),
    familyExpiresAt = deps.now() + deps.settings.refreshTokenAbsoluteLifetimeSeconds * 1000,
    scope = TOKEN_SCOPE,
  } = family ?? {};
  const { settings } = deps;
  const key = await signingKey(deps);
  const iat = Math.floor(deps.now() / 1000);
  const exp = iat + settings.accessTokenTtlSeconds;
  const common = (typ: string) =>
    ({ alg: "RS256", kid: key.kid, typ }) as const;

  const accessToken = await new SignJWT({ scope, client_id: settings.appId })
    .setProtectedHeader(common(ACCESS_TOKEN_TYP))
    .setIssuer(settings.issuer)
    .setSubject(user.id)
    .setAudience(settings.appId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(key.privateKey);

  const idToken = await new SignJWT(profileClaimsOf(user))
    .setProtectedHeader(common("JWT"))
    .setIssuer(settings.issuer)
    .setSubject(user.id)
    .setAudience(settings.appId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);

  const refreshToken = randomBytes(32).toString("base64url");
  await deps.store.insertRefreshToken({
    tokenHash: hashRefreshToken(refreshToken),
    familyId,
    userId: user.id,
    appId: settings.appId,
    scope,
    createdAt: deps.now(),
    expiresAt: Math.min(deps.now() + settings.refreshTokenTtlSeconds * 1000, familyExpiresAt),
    familyExpiresAt,
  });
  return { accessToken, idToken, refreshToken, scope, expiresIn: settings.accessTokenTtlSeconds };
}

export type VerifiedAccessToken = { user: UserRecord; jti: string; exp: number; payload: JWTPayload };

export type AccessTokenFailure = "missing" | "invalid" | "expired" | "revoked" | "unknown-user";

export class AccessTokenError extends Error {
  constructor(readonly reason: AccessTokenFailure) {
    super(`access token ${reason}`);
  }
}

/** Signature, type, issuer, audience, expiry, revocation and a user that still exists. */
export async function verifyAccessToken(deps: ProviderDeps, token: string | undefined): Promise<VerifiedAccessToken> {
  if (!token) throw new AccessTokenError("missing");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, async (header) => {
      const key = await verificationKey(deps, header.kid);
      if (!key) throw new joseErrors.JWKSNoMatchingKey();
      return key.publicKey;
    }, {
      algorithms: ["RS256"],
      typ: ACCESS_TOKEN_TYP,
      issuer: deps.settings.issuer,
      audience: deps.settings.appId,
      currentDate: new Date(deps.now()),
    }));
  } catch (error) {
    throw new AccessTokenError(error instanceof joseErrors.JWTExpired ? "expired" : "invalid");
  }
  if (typeof payload.jti !== "string" || typeof payload.sub !== "string" || typeof payload.exp !== "number") {
    throw new AccessTokenError("invalid");
  }
  if (await deps.store.isAccessTokenRevoked(payload.jti)) throw new AccessTokenError("revoked");
  const user = await deps.store.findUserById(payload.sub);
  if (!user) throw new AccessTokenError("unknown-user");
  return { user, jti: payload.jti, exp: payload.exp, payload };
}

export type RefreshOutcome =
  | { ok: true; tokens: IssuedTokens }
  | { ok: false; reason: "unknown" | "reused" | "expired-or-revoked" | "unknown-user" };

/**
 * Rotation: the presented token dies as the new one is made. A token that was already rotated
 * being presented again means it leaked, and the whole family is revoked (OAuth security BCP
 * 4.14); except within the reuse interval after its rotation (Auth0's reuse interval, Okta's
 * grace period), where it is the same client's other process or request that raced the first,
 * and gets a successor of its own in the same family. No successor outlives the family.
 */
export async function rotateRefreshToken(deps: ProviderDeps, refreshToken: string): Promise<RefreshOutcome> {
  const tokenHash = hashRefreshToken(refreshToken);
  const consumed = await deps.store.consumeRefreshToken({
    tokenHash,
    appId: deps.settings.appId,
    now: deps.now(),
    reuseIntervalMs: deps.settings.refreshTokenReuseIntervalSeconds * 1000,
  });
  if (!consumed) {
    const known = await deps.store.findRefreshToken(tokenHash);
    if (!known || known.appId !== deps.settings.appId) return { ok: false, reason: "unknown" };
    if (known.rotatedAt !== null) {
      await deps.store.revokeRefreshTokenFamily({ familyId: known.familyId, now: deps.now() });
      return { ok: false, reason: "reused" };
    }
    return { ok: false, reason: "expired-or-revoked" };
  }
  const user = await deps.store.findUserById(consumed.userId);
  if (!user) return { ok: false, reason: "unknown-user" };
  const { familyId, familyExpiresAt, scope } = consumed;
  return { ok: true, tokens: await issueTokens(deps, user, { familyId, familyExpiresAt, scope }) };
}

/**
 * RFC 7009: revoke a refresh token (its whole family) or an access token (its jti, until it
 * expires), looking first where the caller's hint says. Unknown or foreign tokens are not an
 * error: the answer must not tell a caller which tokens exist.
 */
export async function revokeToken(
  deps: ProviderDeps,
  token: string,
  hint: "access_token" | "refresh_token" = "refresh_token",
): Promise<void> {
  const kinds = hint === "access_token" ? [revokeAccessToken, revokeRefreshToken] : [revokeRefreshToken, revokeAccessToken];
  for (const revoke of kinds) if (await revoke(deps, token)) return;
}

async function revokeRefreshToken(deps: ProviderDeps, token: string): Promise<boolean> {
  const refresh = await deps.store.findRefreshToken(hashRefreshToken(token));
  if (!refresh) return false;
  if (refresh.appId === deps.settings.appId) {
    await deps.store.revokeRefreshTokenFamily({ familyId: refresh.familyId, now: deps.now() });
  }
  return true;
}

async function revokeAccessToken(deps: ProviderDeps, token: string): Promise<boolean> {
  // Only a JWS can be an access token; anything else would cost a signature check for nothing.
  if (token.split(".").length !== 3) return false;
  try {
    const { jti, exp } = await verifyAccessToken(deps, token);
    await deps.store.revokeAccessToken({ jti, expiresAt: exp * 1000 });
    return true;
  } catch (error) {
    if (!(error instanceof AccessTokenError)) throw error;
    return false;
  }
}

/** Authing's LoginTokenResponseDataDto (note `expire_in`). */
export const tokenSetOf = (tokens: IssuedTokens): TokenSet => ({
  scope: tokens.scope,
  access_token: tokens.accessToken,
  id_token: tokens.idToken,
  refresh_token: tokens.refreshToken,
  token_type: "Bearer",
  expire_in: tokens.expiresIn,
});
