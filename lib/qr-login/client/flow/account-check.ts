import "server-only";

import { z } from "zod";

import { idTokenClaimsSchema, qrCodeIdSchema } from "@/lib/qr-login/client/authing/schemas";
import { openJson, seal, sealingKey } from "@/lib/qr-login/client/flow/sealed-cookie";

/**
 * No silent session swap. Whoever sees a browser's code can scan it
 * with their own account and confirm; signed in at once, the browser would be theirs (a login
 * CSRF). So a code's sign-in goes through on its own only when its account is the one this
 * browser last signed in with (an httpOnly cookie sealed by the server, set at every sign-in);
 * any other account is held for this browser, sealed in a cookie of its own, until the person at
 * it continues with one tap, or refuses. The check needs the account's id, which only the
 * exchanged id_token tells, so it runs where the ticket is redeemed, whichever API the phone used.
 */

// `__Host-` in production: Secure, path /, no Domain, so no subdomain or http page can plant one.
const production = process.env.NODE_ENV === "production";
export const LAST_ACCOUNT_COOKIE_NAME = production ? "__Host-qr-login-last-account" : "qr-login-last-account";
export const HELD_SIGN_IN_COOKIE_NAME = production ? "__Host-qr-login-held-sign-in" : "qr-login-held-sign-in";
/** Chromium keeps a cookie at most 400 days; a year of not signing in costs one tap. */
export const LAST_ACCOUNT_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
/** How long a held sign-in waits for its tap: as long as a ticket would have. */
export const HELD_SIGN_IN_MS = 5 * 60_000;
/** A browser drops a cookie past 4 KB without a word; a held sign-in that big is refused instead. */
const MAX_SEALED_LENGTH = 3_900;

const LAST_ACCOUNT = "qr-login last account v1";
const HELD_SIGN_IN = "qr-login held sign-in v1";

export type AccountCheck = "sign-in" | "ask";

/**
 * The decision: the same account this browser last signed in with goes through; a different
 * one, or a first sign-in on this browser, waits for the person at the browser.
 */
export function checkAccount(accountId: string, lastAccountId: string | undefined): AccountCheck {
  return lastAccountId !== undefined && accountId === lastAccountId ? "sign-in" : "ask";
}

export const lastAccountKey = (secret: string) => sealingKey(secret, LAST_ACCOUNT);
export const heldSignInKey = (secret: string) => sealingKey(secret, HELD_SIGN_IN);

const lastAccountSchema = z.object({ v: z.literal(1), sub: z.string().min(1).max(256) });

export function encodeLastAccount(accountId: string, key: Buffer): string {
  return seal(JSON.stringify({ v: 1, sub: accountId }), key, LAST_ACCOUNT);
}

/** The account id a cookie names, or undefined for none, a forged or a tampered one. */
export function decodeLastAccount(value: string | undefined, key: Buffer): string | undefined {
  const parsed = lastAccountSchema.safeParse(openJson(value, key, LAST_ACCOUNT));
  return parsed.success ? parsed.data.sub : undefined;
}

const heldTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  accessTokenExpiresAt: z.number(),
  accessTokenRefreshAt: z.number(),
  idTokenClaims: idTokenClaimsSchema,
});
const heldSignInSchema = z.object({
  v: z.literal(1),
  qrcodeId: qrCodeIdSchema,
  heldUntil: z.number().int().positive(),
  tokens: heldTokensSchema,
});
export type HeldSignIn = Omit<z.infer<typeof heldSignInSchema>, "v">;

/** The sealed cookie value, or undefined when it would be too big for a browser to keep. */
export function encodeHeldSignIn(held: HeldSignIn, key: Buffer): string | undefined {
  const value = seal(JSON.stringify({ v: 1, ...held }), key, HELD_SIGN_IN);
  return value.length > MAX_SEALED_LENGTH ? undefined : value;
}

/** The sign-in a cookie holds for `qrcodeId` (any code when omitted), if it is this server's and not past its time. */
export function decodeHeldSignIn(value: string | undefined, key: Buffer, now: number, qrcodeId?: string): HeldSignIn | undefined {
  const parsed = heldSignInSchema.safeParse(openJson(value, key, HELD_SIGN_IN));
  if (!parsed.success || parsed.data.heldUntil <= now) return undefined;
  if (qrcodeId !== undefined && parsed.data.qrcodeId !== qrcodeId) return undefined;
  const { qrcodeId: heldFor, heldUntil, tokens } = parsed.data;
  return { qrcodeId: heldFor, heldUntil, tokens };
}

/** What the browser may learn about a held account: who it is, never its tokens. */
export type HeldAccount = { name: string; email: string | null; photo: string | null };

export function heldAccountOf(held: HeldSignIn): HeldAccount {
  const claims = held.tokens.idTokenClaims;
  return { name: claims.name ?? claims.nickname ?? claims.email ?? claims.sub, email: claims.email ?? null, photo: claims.picture ?? null };
}
