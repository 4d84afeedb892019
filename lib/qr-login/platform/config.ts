import "server-only";

import { createHash } from "node:crypto";
import path from "node:path";

import { MAX_STATUS_WAIT_SECONDS } from "@/lib/qr-login/platform/authing-wire";

import { type AppConfig, DEFAULT_MAX_HELD_WAITS, DEFAULT_MAX_HELD_WAITS_PER_ADDRESS, envSchema } from "./config-schema";
import { loadDevelopmentSecrets } from "./config-secrets";

export type { AppConfig, QrCodeContent, TokenEndpointAuthMethod } from "./config-schema";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const MIN_APP_SECRET_LENGTH = 32;

/**
 * Whether a secret the embedded provider will accept looks random enough: at least 32 characters,
 * and at least 2.5 bits a character by their frequencies (Shannon): random hex or base64 of that
 * length has more than 3, a word or pattern repeated to length ("aaaa…", "abab…") has less.
 */
export function isStrongAppSecret(secret: string): boolean {
  if (secret.length < MIN_APP_SECRET_LENGTH) return false;
  const counts = new Map<string, number>();
  for (const character of secret) counts.set(character, (counts.get(character) ?? 0) + 1);
  const bitsPerCharacter = [...counts.values()].reduce((sum, count) => sum - (count / secret.length) * Math.log2(count / secret.length), 0);
  return bitsPerCharacter >= 2.5;
}

const isIpAddress = (host: string) => /^[0-9.]+$/.test(host) || host.includes(":");
/** Browsers offer WebAuthn in a secure context only: https, or http on localhost. */
const isSecureOrigin = (url: URL) => url.protocol === "https:" || url.hostname === "localhost" || url.hostname.endsWith(".localhost");
/** An RP id covers an origin whose host is the id or a subdomain of it. */
const covers = (rpId: string, host: string) => host === rpId || host.endsWith(`.${rpId}`);

/**
 * Where passkeys work: by default the app's own origin (NEXTAUTH_URL), whose host is the RP id;
 * PASSKEY_ORIGINS and PASSKEY_RP_ID name others (a companion served on its own origin). A default
 * that cannot work switches passkeys off; settings that cannot work are problems.
 */
function passkeySettings(
  vars: { PASSKEY_RP_ID?: string; PASSKEY_ORIGINS?: string },
  ownOrigin: string,
  problems: string[],
): AppConfig["passkeys"] {
  const explicit = vars.PASSKEY_RP_ID !== undefined || vars.PASSKEY_ORIGINS !== undefined;
  const listed = vars.PASSKEY_ORIGINS?.split(",").map((each) => each.trim()).filter(Boolean) ?? [new URL(ownOrigin).origin];
  const origins: URL[] = [];
  for (const origin of listed) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/+$/, "")) {
      problems.push(`PASSKEY_ORIGINS: "${origin}" is not an origin (scheme, host and port only, such as https://app.example.com)`);
      continue;
    }
    origins.push(new URL(origin));
  }
  if (origins.length === 0) return undefined;
  const rpId = vars.PASSKEY_RP_ID ?? origins[0]!.hostname;
  const trouble = isIpAddress(rpId)
    ? `the relying party id ${rpId} is an IP address, which browsers refuse: serve the app on a host name`
    : origins
        .map((url) =>
          !isSecureOrigin(url)
            ? `${url.origin} is not a secure context (browsers offer passkeys on https, or http on localhost)`
            : !covers(rpId, url.hostname)
              ? `the relying party id ${rpId} does not cover ${url.origin} (it must be its host or a parent domain of it)`
              : undefined,
        )
        .find(Boolean);
  if (trouble === undefined) return { rpId, origins: origins.map((url) => url.origin) };
  if (explicit) problems.push(`PASSKEY_RP_ID / PASSKEY_ORIGINS cannot work: ${trouble}`);
  return undefined;
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const vars = parsed.data;
  const production = vars.NODE_ENV === "production";
  const embedded = vars.AUTHING_APP_HOST === undefined;
  const tokenEndpointAuthMethod = vars.AUTHING_TOKEN_ENDPOINT_AUTH_METHOD ?? "client_secret_post";
  const revocationEndpointAuthMethod = vars.AUTHING_REVOCATION_ENDPOINT_AUTH_METHOD ?? "client_secret_post";
  const secretMethod = [tokenEndpointAuthMethod, revocationEndpointAuthMethod].find((method) => method !== "none");
  // Vercel sets VERCEL=1; any other value (a leftover "0", "false") is not Vercel, whose
  // x-real-ip would then be a header any client can send.
  const onVercel = vars.VERCEL === "1";
  // Vercel's file system is read-only but for /tmp.
  const dataDir = path.resolve(vars.DATA_DIR ?? (onVercel ? "/tmp/qr-login-data" : ".data"));

  const problems: string[] = [];
  const required = (name: string, why: string) => problems.push(`${name} is required ${why}`);
  if (!embedded && !vars.AUTHING_APP_ID) required("AUTHING_APP_ID", "when AUTHING_APP_HOST is set");
  if (!embedded && !vars.AUTHING_APP_SECRET && secretMethod) {
    required("AUTHING_APP_SECRET", `when AUTHING_APP_HOST is set and an auth method is ${secretMethod}`);
  }
  if (production) {
    if (!vars.AUTHING_APP_ID) required("AUTHING_APP_ID", "in production");
    if (!vars.AUTHING_APP_SECRET && secretMethod) {
      required("AUTHING_APP_SECRET", `in production (an auth method is ${secretMethod})`);
    }
    if (embedded && secretMethod && vars.AUTHING_APP_SECRET && !isStrongAppSecret(vars.AUTHING_APP_SECRET)) {
      problems.push(
        `AUTHING_APP_SECRET is too weak for the embedded provider, which accepts it as the app's password: use at least ` +
          `${MIN_APP_SECRET_LENGTH} random characters, not a word or a repeated pattern (openssl rand -base64 32)`,
      );
    }
    if (!vars.NEXTAUTH_SECRET) required("NEXTAUTH_SECRET", "in production (openssl rand -base64 32)");
    if (embedded && !vars.NEXTAUTH_URL) {
      required("NEXTAUTH_URL", "in production with the embedded provider (the app's public origin)");
    }
    // Each Vercel instance has its own /tmp: a code made through one would be unknown to the next.
    if (embedded && onVercel && !vars.REDIS_URL) {
      required(
        "REDIS_URL",
        "on Vercel with the embedded provider, so that every instance shares one store: add a Redis database " +
          "from the Vercel Marketplace (Storage → Create Database → Redis), which sets REDIS_URL; or set " +
          "AUTHING_APP_HOST to use Authing",
      );
    }
  }
  const ownOrigin = vars.NEXTAUTH_URL ?? `http://localhost:${vars.PORT ?? 3000}`;
  const passkeys = embedded ? passkeySettings(vars, ownOrigin, problems) : undefined;
  if (problems.length > 0) throw new ConfigError(problems);

  const needsGenerated =
    !vars.AUTHING_APP_ID || !vars.AUTHING_APP_SECRET || !vars.NEXTAUTH_SECRET;
  const generated = needsGenerated ? loadDevelopmentSecrets(dataDir) : undefined;

  const appId = vars.AUTHING_APP_ID ?? generated!.appId;
  return {
    production,
    app: {
      id: appId,
      secret: vars.AUTHING_APP_SECRET ?? (embedded ? generated!.appSecret : ""),
      tokenEndpointAuthMethod,
      revocationEndpointAuthMethod,
    },
    provider: {
      embedded,
      baseUrl: vars.AUTHING_APP_HOST ?? ownOrigin,
      userPoolId: vars.AUTHING_USERPOOL_ID ?? createHash("sha256").update(`pool:${appId}`).digest("hex").slice(0, 24),
      qrCodeContent: vars.QR_CODE_CONTENT ?? "companion",
    },
    dataDir,
    redisUrl: vars.REDIS_URL,
    qrCodeTtlSeconds: vars.QR_CODE_TTL_SECONDS ?? 120,
    qrCodeAutoRenewals: vars.QR_CODE_AUTO_RENEWALS ?? 3,
    ticketTtlSeconds: vars.TICKET_TTL_SECONDS ?? 300,
    qrCodeLoginStrategy: {
      returnFullUserInfo: vars.QR_RETURN_FULL_USER_INFO ?? false,
      allowExchangeUserInfoFromBrowser: vars.QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER ?? false,
    },
    accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS ?? 7200,
    refreshTokens: {
      absoluteLifetimeSeconds: vars.REFRESH_TOKEN_ABSOLUTE_LIFETIME_SECONDS ?? 30 * 86_400,
      reuseIntervalSeconds: vars.REFRESH_TOKEN_REUSE_INTERVAL_SECONDS ?? 10,
    },
    // The demo password is published: production seeds the demo users only when asked.
    seedDemoUsers: vars.SEED_DEMO_USERS ?? !production,
    statusUpdates: {
      waitSeconds: embedded ? (vars.QR_STATUS_WAIT_SECONDS ?? MAX_STATUS_WAIT_SECONDS) : 0,
      pollIntervalMs: vars.QR_STATUS_POLL_INTERVAL_MS ?? 800,
    },
    // `next dev` is the only hop in front of itself: it fills X-Forwarded-For from the socket, so
    // a laptop's own browser and a phone on its network show their real addresses. Production
    // believes no forwarded header unless told how many proxies write them.
    proxies: { hops: vars.TRUSTED_PROXY_HOPS ?? (production ? 0 : 1), vercel: onVercel },
    nextAuth: { secret: vars.NEXTAUTH_SECRET ?? generated!.nextAuthSecret, url: vars.NEXTAUTH_URL },
    passkeys,
    allowSignup: vars.ALLOW_SIGNUP ?? !production,
    heldWaits: {
      perProcess: vars.QR_STATUS_MAX_HELD_WAITS ?? DEFAULT_MAX_HELD_WAITS,
      perAddress: vars.QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS ?? DEFAULT_MAX_HELD_WAITS_PER_ADDRESS,
    },
    ops: { metricsToken: vars.METRICS_TOKEN },
  };
}

let cached: AppConfig | undefined;

/** The configuration, validated on first use (not at import, so `next build` needs no secrets). */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
