import "server-only";

import type { AppConfig } from "./config-schema";

/** What a production start should say out loud: settings that are allowed but weaken something. */
export function configWarnings(config: AppConfig): string[] {
  const warnings: string[] = [];
  if (!config.production) return warnings;
  if (config.app.tokenEndpointAuthMethod === "none") {
    warnings.push(
      "AUTHING_TOKEN_ENDPOINT_AUTH_METHOD=none: a ticket alone is exchanged for a token set, with no secret. Anyone who " +
        'reads a code\'s ticket signs in as its user: keep Authing\'s "web polling returns full user info" off, and prefer ' +
        "client_secret_post or client_secret_basic for a server-side app.",
    );
  }
  if (config.seedDemoUsers && config.provider.embedded) {
    warnings.push("SEED_DEMO_USERS is true: anyone can sign in as alice or bob with the published demo password. Never on a real deployment.");
  }
  if (config.proxies.hops === 0 && !config.proxies.vercel) {
    warnings.push(
      "TRUSTED_PROXY_HOPS is 0: no client address is known (X-Forwarded-For is not believed), so the phone always shows the different-network warning and per-address limits fall back to one shared budget. Behind a proxy that appends to X-Forwarded-For, set it to the number of such proxies.",
    );
  }
  if (!config.provider.embedded && !config.redisUrl) {
    warnings.push(
      "REDIS_URL is not set: sign-outs and the QR login's rate limits are kept in this process's memory, so a restart forgets who signed out and several instances do not share them. Set REDIS_URL in production.",
    );
  }
  warnings.push(...providerWarnings(config));
  return warnings;
}

/**
 * The embedded provider's public surface in production. With no trusted proxy hop every client
 * shares the "unknown" address, so all per-address budgets are one budget for everybody: loud,
 * not fatal, since a single-host demo (`npm start` on a LAN) must still start.
 */
function providerWarnings(config: AppConfig): string[] {
  if (!config.provider.embedded) return [];
  const warnings: string[] = [];
  if (config.proxies.hops === 0 && !config.proxies.vercel) {
    warnings.push(
      "!!! The embedded provider cannot tell its clients apart (TRUSTED_PROXY_HOPS=0, not on Vercel). Every per-address " +
        "limit is ONE budget shared by every client (ten times a single address's): about 200 phone sign-in attempts a " +
        "minute from anyone refuse everyone's, 300 new codes a minute (GET /login) refuse everyone's, and " +
        `${config.heldWaits.perAddress * 10} held status waits make everyone poll. Put the app behind a proxy that appends ` +
        "to X-Forwarded-For and set TRUSTED_PROXY_HOPS to the number of such proxies (nginx with proxy_add_x_forwarded_for: 1).",
    );
  }
  if (config.qrCodeLoginStrategy.returnFullUserInfo || config.qrCodeLoginStrategy.allowExchangeUserInfoFromBrowser) {
    warnings.push(
      "QR_RETURN_FULL_USER_INFO or QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER is true: whoever reads a code's status through " +
        "/api/v2/qrcode/check (its id is in the QR) can get its user's token, with no app secret. See docs/authing-v2.md.",
    );
  }
  if (config.allowSignup) {
    warnings.push("ALLOW_SIGNUP is true: anyone who can reach /api/v3/signup can create an account on this provider.");
  }
  return warnings;
}
