import "server-only";

import { AuthingClientError, getAuthingClient, type AuthingClient } from "@/lib/authing/client";
import { diagnoseProviderFailure, logProviderProblem } from "@/lib/authing/provider-problems";
import { qrCodeIdSchema } from "@/lib/authing/schemas";
import { sessionTokensFrom, type SessionTokens } from "@/lib/auth/token-refresh";
import { findBinding } from "@/lib/qr-login/binding-cookie";
import { readBindings } from "@/lib/qr-login/browser-qr-login";

export type RedeemedUser = SessionTokens & {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
};

export type RedeemOutcome =
  | { ok: true; user: RedeemedUser }
  | { ok: false; reason: "invalid_id" | "not_bound" | "not_authorized" | "exchange_failed" | "invalid_id_token" | "provider_unavailable" };

/**
 * Turns an authorized code into a user, for the browser whose binding cookie vouches for it.
 * The ticket is read and exchanged here, on the server, and never leaves it.
 */
export async function redeemQrCode(
  qrcodeId: unknown,
  bindingCookieValue: string | undefined,
  client: AuthingClient = getAuthingClient(),
): Promise<RedeemOutcome> {
  const id = qrCodeIdSchema.safeParse(qrcodeId);
  if (!id.success) return { ok: false, reason: "invalid_id" };
  const binding = findBinding(readBindings(bindingCookieValue), id.data);
  if (!binding) return { ok: false, reason: "not_bound" };

  try {
    const status = await client.getQrCodeStatus(id.data, { pollSecret: binding.pollSecret });
    if (status.status !== "AUTHORIZED" || !status.ticket) return { ok: false, reason: "not_authorized" };
    const tokenSet = await client.exchangeTicket(status.ticket);
    if (!tokenSet.access_token || !tokenSet.id_token) return { ok: false, reason: "exchange_failed" };
    let claims;
    try {
      claims = await client.verifyIdToken(tokenSet.id_token);
    } catch (error) {
      console.warn(`qr-login: refused an id_token: ${error instanceof Error ? error.message : "invalid"}`);
      return { ok: false, reason: "invalid_id_token" };
    }
    const tokens = sessionTokensFrom({
      accessToken: tokenSet.access_token,
      refreshToken: tokenSet.refresh_token,
      expiresInSeconds: tokenSet.expire_in,
      idTokenClaims: claims,
      now: Date.now(),
    });
    return {
      ok: true,
      user: {
        ...tokens,
        id: claims.sub,
        name: claims.name ?? claims.nickname ?? null,
        email: claims.email ?? null,
        image: claims.picture ?? null,
      },
    };
  } catch (error) {
    if (error instanceof AuthingClientError) {
      const problem = diagnoseProviderFailure(error, { clientAuthenticated: error.url?.includes("/exchange-tokenset") });
      if (problem) {
        logProviderProblem("qr-login", problem);
        return { ok: false, reason: "provider_unavailable" };
      }
      console.warn(`qr-login: redeeming a code failed: ${error.name}: ${error.message}`);
      return { ok: false, reason: "exchange_failed" };
    }
    throw error;
  }
}
