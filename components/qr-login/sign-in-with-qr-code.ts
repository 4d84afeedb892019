import { getCsrfToken } from "next-auth/react";

import { SIGN_IN_ASK_ACCOUNT, SIGN_IN_SERVICE_UNAVAILABLE } from "@/lib/qr-login/client/flow/sign-in-errors";

/**
 * "unavailable": the server could not redeem the code because of its provider, not the code.
 * "ask-account": the code's account is not the one this browser last signed in with; the server
 * holds the sign-in until the person here continues (`account: "continue"`) or refuses.
 */
export type SignInOutcome = "signed-in" | "failed" | "unavailable" | "ask-account";

/**
 * next-auth's own signIn() asks for the provider list and the CSRF token one after the other,
 * then posts, then reads the session: four round trips once the code is authorized. The token is
 * fetched ahead (while the phone is still confirming) and the post is the one request left; it
 * is the same request signIn("qrcode") sends, so authorize() and its checks run unchanged.
 */
export function prefetchCsrfToken(): Promise<string | undefined> {
  return getCsrfToken().catch(() => undefined);
}

export async function signInWithQrCode(
  qrcodeId: string,
  csrfToken: Promise<string | undefined>,
  callbackUrl: string,
  account?: "continue",
): Promise<SignInOutcome> {
  const token = (await csrfToken) ?? (await prefetchCsrfToken());
  if (!token) return "failed";
  try {
    const response = await fetch("/api/auth/callback/qrcode", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ qrcodeId, csrfToken: token, callbackUrl, json: "true", ...(account ? { account } : {}) }),
      credentials: "same-origin",
      cache: "no-store",
    });
    const { url } = (await response.json()) as { url?: string };
    // Like signIn(): a refused authorize() answers a URL that carries `error`.
    const error = url ? new URL(url, window.location.href).searchParams.get("error") : "no url";
    if (error === SIGN_IN_SERVICE_UNAVAILABLE) return "unavailable";
    if (error === SIGN_IN_ASK_ACCOUNT) return "ask-account";
    return response.ok && error === null ? "signed-in" : "failed";
  } catch {
    return "failed";
  }
}
