import "server-only";

import {
  AuthingApiError,
  AuthingClientError,
  AuthingContractError,
  AuthingRequestAbortedError,
  AuthingUnavailableError,
  OAuthError,
} from "@/lib/qr-login/client/authing/client";
import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { getConfig } from "@/lib/qr-login/platform/config";
import { log } from "@/lib/qr-login/platform/log";

/**
 * A failure that is the server's configuration, not the user's network or code: the browser is
 * told the sign-in service is unavailable, and the log says what was called and what to check.
 */
export type ProviderProblem = {
  kind: "unreachable" | "not-found" | "bad-answer" | "off-contract" | "credentials-refused" | "unavailable";
  /** The variables an operator should check. */
  variables: string[];
  /** One line for the server's log: the full URL, the cause, the variables. */
  log: string;
};

const hostHint = "AUTHING_APP_HOST (the app domain alone, such as https://my-app.authing.cn)";
const credentialVariables = ["AUTHING_APP_ID", "AUTHING_APP_SECRET", "AUTHING_TOKEN_ENDPOINT_AUTH_METHOD"];

function problem(kind: ProviderProblem["kind"], variables: string[], error: AuthingClientError, what: string, advice = `Check ${variables.join(", ")}.`): ProviderProblem {
  const url = error.url ? ` (${error.url})` : "";
  return { kind, variables, log: `${what}${url}: ${error.message}. ${advice}` };
}

// The answer came in the V3 envelope, so the provider's address is right and no variable fixes it.
const offContractAdvice =
  "The provider's address is right (it answers in the V3 envelope); the fields named do not fit the client's reader (lib/qr-login/client/authing/schemas.ts, \"Reading a provider's answers\"): report the answer to the provider, or widen the reader where the provider documents the field so.";

/**
 * What a provider failure says about the configuration, or undefined when it is about the code
 * or the user (an unknown or expired code, a used ticket, a closed page).
 */
export function diagnoseProviderFailure(
  error: unknown,
  { clientAuthenticated = false }: { clientAuthenticated?: boolean } = {},
): ProviderProblem | undefined {
  if (!(error instanceof AuthingClientError) || error instanceof AuthingRequestAbortedError) return undefined;
  if (error instanceof AuthingContractError) {
    return problem("off-contract", [], error, "The identity provider answered outside the V3 contract", offContractAdvice);
  }
  if (error instanceof AuthingUnavailableError) {
    if (error.httpStatus === undefined) {
      return problem("unreachable", [hostHint], error, "The identity provider cannot be reached");
    }
    if (error.httpStatus === 404) {
      return problem("not-found", [hostHint], error, "The identity provider has no such endpoint");
    }
    return problem("bad-answer", [hostHint], error, "The identity provider answered with something other than the V3 API");
  }
  if ((error instanceof AuthingApiError && error.statusCode === 503) || (error instanceof OAuthError && error.error === "temporarily_unavailable")) {
    return problem("unavailable", [], error, "The identity provider is temporarily unavailable");
  }
  if (error instanceof AuthingApiError) {
    // Authing's codes for a refused client are not public: on a call that authenticated the app,
    // 401 and 403 mean the app, not the ticket (a used ticket is a 400).
    const refusedClient = clientAuthenticated && (error.statusCode === 401 || error.statusCode === 403);
    if (refusedClient || error.apiCode === apiCodes.clientAuthFailed || error.apiCode === apiCodes.appNotFound) {
      return problem("credentials-refused", credentialVariables, error, "The identity provider refused the app's credentials");
    }
    return undefined;
  }
  if (error instanceof OAuthError && (error.error === "invalid_client" || error.error === "unauthorized_client")) {
    return problem("credentials-refused", credentialVariables, error, "The identity provider refused the app's credentials");
  }
  return undefined;
}

/** Logs a configuration problem once per kind and URL a minute, so a broken setup does not flood the log. */
const lastLogged = new Map<string, number>();
export function logProviderProblem(prefix: string, found: ProviderProblem, now = Date.now()): void {
  // The embedded provider has logged why (its store is away) once for the outage.
  if (found.kind === "unavailable" && getConfig().provider.embedded) return;
  const key = found.kind === "unavailable" ? `${prefix}|unavailable` : `${prefix}|${found.log}`;
  if ((lastLogged.get(key) ?? 0) > now - 60_000) return;
  if (lastLogged.size > 100) lastLogged.clear();
  lastLogged.set(key, now);
  log.error("provider.problem", `${prefix}: sign-in service unavailable: ${found.log}`, { kind: found.kind, variables: found.variables });
}
