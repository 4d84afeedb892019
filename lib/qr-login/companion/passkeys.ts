import "server-only";

import { headers } from "next/headers";

import { AuthingApiError, AuthingClientError, getAuthingClient } from "@/lib/qr-login/client/authing/client";
import type { PasskeySummaryAnswer } from "@/lib/qr-login/client/authing/schemas";
import { getConfig } from "@/lib/qr-login/platform/config";
import { isStoreUnavailable } from "@/lib/qr-login/platform/store-unavailable";
import { clientIpFrom, trustedRequestOrigin } from "@/lib/qr-login/platform/request-info";
import { failure, keepCompanionSession, readCompanionToken, tooManyAttempts, type CompanionResult } from "@/lib/qr-login/companion/companion";

/**
 * The companion's passkeys, through the provider's extension endpoints as any
 * client would call them. Options go to the browser as they came: @simplewebauthn/browser reads them.
 */
export type PasskeyOptions = Record<string, unknown> & { challenge: string };
export type CompanionPasskey = PasskeySummaryAnswer;

/**
 * Whether this page's browser can use passkeys: they are on (PASSKEY_RP_ID / PASSKEY_ORIGINS, or
 * NEXTAUTH_URL's own origin), and in development the page was opened on one of their origins
 * (`npm run dev` has them on http://localhost, and a phone on the LAN address would only meet
 * the browser's refusal). In production the page's origin is NEXTAUTH_URL's, or a listed one.
 */
export async function passkeysHere(): Promise<boolean> {
  const config = getConfig();
  if (!config.passkeys) return false;
  if (config.production) return true;
  const origin = trustedRequestOrigin(await headers(), new URL(config.nextAuth.url ?? "http://localhost"));
  return config.passkeys.origins.includes(`${origin.proto}://${origin.host}`);
}

async function asUser<T>(call: (token: string) => Promise<T>): Promise<CompanionResult<T>> {
  const token = await readCompanionToken();
  if (!token) return { ok: false, problem: "sign-in-required" };
  try {
    return { ok: true, value: await call(token) };
  } catch (error) {
    return failure(error);
  }
}

/** Whether the phone's user confirms with a passkey (the provider then needs one on every CONFIRM). */
export async function confirmsWithPasskey(): Promise<boolean> {
  if (!getConfig().passkeys) return false;
  const passkeys = await companionPasskeys();
  return passkeys.ok && passkeys.value.length > 0;
}

export const companionPasskeys = () => asUser((token) => getAuthingClient().listPasskeys(token));

export const passkeyRegistrationOptions = () => asUser((token): Promise<PasskeyOptions> => getAuthingClient().passkeyRegistrationOptions(token));

/** Adds the browser's new credential; answers the user's passkeys as they are now. */
export const addPasskey = (credential: unknown) =>
  asUser(async (token) => {
    await getAuthingClient().registerPasskey(token, credential);
    return getAuthingClient().listPasskeys(token);
  });

export const removeCompanionPasskey = (id: string) =>
  asUser(async (token) => {
    await getAuthingClient().removePasskey(token, id);
    return getAuthingClient().listPasskeys(token);
  });

export const passkeyConfirmOptions = (qrcodeId: string) => asUser((token): Promise<PasskeyOptions> => getAuthingClient().passkeyConfirmOptions(token, qrcodeId));

type SignInProblem = { ok: false; problem: "rate-limited"; retryAfterSeconds?: number } | { ok: false; problem: "passkey-refused" | "unavailable" };

function signInProblem(error: unknown): SignInProblem {
  if (error instanceof AuthingApiError && error.statusCode === 429) return tooManyAttempts();
  if (error instanceof AuthingApiError && error.statusCode !== 503) return { ok: false, problem: "passkey-refused" };
  if (error instanceof AuthingClientError || isStoreUnavailable(error)) return { ok: false, problem: "unavailable" };
  throw error;
}

/** Options for signing in with a passkey, counted by the provider against the phone's address (not this server's). */
export async function passkeySignInOptions(): Promise<{ ok: true; value: PasskeyOptions } | SignInProblem> {
  try {
    return { ok: true, value: await getAuthingClient().passkeySignInOptions({ clientIp: clientIpFrom(await headers()) }) };
  } catch (error) {
    return signInProblem(error);
  }
}

/** Signs the phone in with a passkey's assertion and keeps the token as a password sign-in does. */
export async function signInCompanionWithPasskey(credential: unknown): Promise<{ ok: true; value: null } | SignInProblem> {
  try {
    const tokenSet = await getAuthingClient().signinWithPasskey({ credential, clientIp: clientIpFrom(await headers()) });
    return (await keepCompanionSession(tokenSet)) ? { ok: true, value: null } : { ok: false, problem: "unavailable" };
  } catch (error) {
    return signInProblem(error);
  }
}
