import "server-only";

import { AuthingClientError, getAuthingClient, type AuthingClient } from "@/lib/qr-login/client/authing/client";
import { diagnoseProviderFailure, logProviderProblem } from "@/lib/qr-login/client/authing/provider-problems";
import { qrCodeIdSchema } from "@/lib/qr-login/client/authing/schemas";
import { sessionTokensFrom, type SessionTokens } from "@/lib/qr-login/client/authing/token-refresh";
import { findBinding } from "@/lib/qr-login/client/flow/binding-cookie";
import { readBindings } from "@/lib/qr-login/client/flow/browser-qr-login";
import { log } from "@/lib/qr-login/platform/log";
import { metrics } from "@/lib/qr-login/platform/metrics";
import { inSpan } from "@/lib/qr-login/platform/telemetry";

export type RedeemedUser = SessionTokens & {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
};

/** The user a session is made for, from the tokens its code was exchanged for. */
export function redeemedUserOf(tokens: SessionTokens): RedeemedUser {
  const claims = tokens.idTokenClaims;
  return { ...tokens, id: claims.sub, name: claims.name ?? claims.nickname ?? null, email: claims.email ?? null, image: claims.picture ?? null };
}

export type RedeemOutcome =
  | { ok: true; user: RedeemedUser }
  | { ok: false; reason: "invalid_id" | "not_bound" | "not_authorized" | "exchange_failed" | "invalid_id_token" | "provider_unavailable" };

/**
 * Turns an authorized code into a user, for the browser whose binding cookie vouches for it.
 * The ticket is read and exchanged here, on the server, and never leaves it.
 */
export function redeemQrCode(
  qrcodeId: unknown,
  bindingCookieValue: string | undefined,
  client: AuthingClient = getAuthingClient(),
): Promise<RedeemOutcome> {
  const started = performance.now();
  return inSpan("qr_login.redeem", {}, async (span) => {
    const outcome = await redeem(qrcodeId, bindingCookieValue, client);
    const label = outcome.ok ? "signed_in" : outcome.reason;
    span.setAttribute("qr_login.outcome", label);
    metrics().signInDuration.observe({ outcome: label }, (performance.now() - started) / 1000);
    const fields = { qrcodeId: typeof qrcodeId === "string" ? qrcodeId.slice(0, 64) : undefined };
    if (outcome.ok) {
      metrics().signIns.inc();
      log.info("signed_in", "browser signed in with a QR code", { ...fields, userId: outcome.user.id });
    } else {
      metrics().refusals.inc({ reason: outcome.reason });
      log.info("refused", `sign-in refused: ${outcome.reason}`, { ...fields, reason: outcome.reason });
    }
    return outcome;
  });
}

async function redeem(qrcodeId: unknown, bindingCookieValue: string | undefined, client: AuthingClient): Promise<RedeemOutcome> {
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
      log.warn("id_token.refused", `refused an id_token: ${error instanceof Error ? error.message : "invalid"}`);
      return { ok: false, reason: "invalid_id_token" };
    }
    const tokens = sessionTokensFrom({
      accessToken: tokenSet.access_token,
      refreshToken: tokenSet.refresh_token,
      expiresInSeconds: tokenSet.expire_in,
      idTokenClaims: claims,
      now: Date.now(),
    });
    return { ok: true, user: redeemedUserOf(tokens) };
  } catch (error) {
    if (error instanceof AuthingClientError) {
      const problem = diagnoseProviderFailure(error, { clientAuthenticated: error.url?.includes("/exchange-tokenset") });
      if (problem) {
        logProviderProblem("qr-login", problem);
        return { ok: false, reason: "provider_unavailable" };
      }
      log.warn("redeem.failed", `redeeming a code failed: ${error.name}: ${error.message}`);
      return { ok: false, reason: "exchange_failed" };
    }
    throw error;
  }
}
