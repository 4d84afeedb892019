import "server-only";

import { revokeTokens } from "@/lib/qr-login/client/authing/token-refresh";
import { getConfig } from "@/lib/qr-login/platform/config";
import {
  checkAccount,
  decodeHeldSignIn,
  decodeLastAccount,
  encodeHeldSignIn,
  encodeLastAccount,
  HELD_SIGN_IN_COOKIE_NAME,
  HELD_SIGN_IN_MS,
  heldAccountOf,
  heldSignInKey,
  LAST_ACCOUNT_COOKIE_NAME,
  LAST_ACCOUNT_MAX_AGE_SECONDS,
  lastAccountKey,
  type HeldAccount,
} from "@/lib/qr-login/client/flow/account-check";
import { redeemedUserOf, type RedeemedUser } from "@/lib/qr-login/client/flow/redeem";
import { log } from "@/lib/qr-login/platform/log";
import { metrics } from "@/lib/qr-login/platform/metrics";

/** The part of Next's cookie store these functions use (a route handler's `cookies()`). */
export type CookieJar = {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, options: ReturnType<typeof cookieOptions>): void;
};

// Strict: only this site's own requests (the page's fetches and NextAuth's callback) carry them.
function cookieOptions(secure: boolean, maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: "strict" as const, secure, path: "/", maxAge: maxAgeSeconds };
}

const secret = () => getConfig().nextAuth.secret;

function rememberAccount(jar: CookieJar, accountId: string, secure: boolean): void {
  jar.set(LAST_ACCOUNT_COOKIE_NAME, encodeLastAccount(accountId, lastAccountKey(secret())), cookieOptions(secure, LAST_ACCOUNT_MAX_AGE_SECONDS));
}

function dropHeldSignIn(jar: CookieJar, secure: boolean): void {
  if (jar.get(HELD_SIGN_IN_COOKIE_NAME)) jar.set(HELD_SIGN_IN_COOKIE_NAME, "", cookieOptions(secure, 0));
}

export type AccountAdmission = "signed-in" | "held" | "refused";

/**
 * After a code was redeemed for `user`: signs in at once when it is the account this browser
 * last signed in with; otherwise holds the sign-in for this browser until it continues.
 */
export async function admitAccount(jar: CookieJar, qrcodeId: string, user: RedeemedUser, secure: boolean, now = Date.now()): Promise<AccountAdmission> {
  const lastAccountId = decodeLastAccount(jar.get(LAST_ACCOUNT_COOKIE_NAME)?.value, lastAccountKey(secret()));
  if (checkAccount(user.id, lastAccountId) === "sign-in") {
    dropHeldSignIn(jar, secure);
    rememberAccount(jar, user.id, secure);
    return "signed-in";
  }
  const { accessToken, refreshToken, accessTokenExpiresAt, accessTokenRefreshAt, idTokenClaims } = user;
  const tokens = { accessToken, refreshToken, accessTokenExpiresAt, accessTokenRefreshAt, idTokenClaims };
  const held = encodeHeldSignIn({ qrcodeId, heldUntil: now + HELD_SIGN_IN_MS, tokens }, heldSignInKey(secret()));
  if (!held) {
    // Nothing can ask the person at the browser: no session, and the tokens die now.
    log.error("held_sign_in.too_big", "a sign-in to hold for this browser's tap does not fit in a cookie: the provider's tokens and claims are too big for 4 KB; refused", { qrcodeId });
    await revokeTokens(tokens);
    return "refused";
  }
  jar.set(HELD_SIGN_IN_COOKIE_NAME, held, cookieOptions(secure, HELD_SIGN_IN_MS / 1000));
  metrics().refusals.inc({ reason: "account_held" });
  log.info("held", "sign-in held: the code's account is not the one this browser last signed in with", { qrcodeId, reason: "account_held" });
  return "held";
}

/** The person at the browser continues: the sign-in held for `qrcodeId`, once, and remembered as this browser's. */
export function continueHeldSignIn(jar: CookieJar, qrcodeId: unknown, secure: boolean, now = Date.now()): RedeemedUser | undefined {
  if (typeof qrcodeId !== "string") return undefined;
  const held = decodeHeldSignIn(jar.get(HELD_SIGN_IN_COOKIE_NAME)?.value, heldSignInKey(secret()), now, qrcodeId);
  if (!held) return undefined;
  dropHeldSignIn(jar, secure);
  const user = redeemedUserOf(held.tokens);
  rememberAccount(jar, user.id, secure);
  log.info("held.continued", "a held sign-in was continued in its browser", { qrcodeId, userId: user.id });
  return user;
}

/** Who waits for this browser's tap, for the page to show. */
export function readHeldAccount(cookieValue: string | undefined, now = Date.now()): { qrcodeId: string; account: HeldAccount } | undefined {
  const held = decodeHeldSignIn(cookieValue, heldSignInKey(secret()), now);
  return held && { qrcodeId: held.qrcodeId, account: heldAccountOf(held) };
}

/** The person at the browser refuses: the held sign-in is dropped and its tokens revoked. */
export async function refuseHeldSignIn(jar: CookieJar, secure: boolean, now = Date.now()): Promise<boolean> {
  const held = decodeHeldSignIn(jar.get(HELD_SIGN_IN_COOKIE_NAME)?.value, heldSignInKey(secret()), now);
  dropHeldSignIn(jar, secure);
  if (!held) return false;
  await revokeTokens(held.tokens);
  log.info("held.refused", "a held sign-in was refused in its browser", { qrcodeId: held.qrcodeId });
  return true;
}
