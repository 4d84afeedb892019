import "server-only";

import { z } from "zod";

import { MAX_STATUS_WAIT_SECONDS, tokenEndpointAuthMethodSchema } from "@/lib/qr-login/platform/authing-wire";
import type { ProxyTrust } from "@/lib/qr-login/platform/forwarded-headers";

// What lib/qr-login/platform/config.ts reads (the variables, each validated) and what it makes of them (AppConfig).

// An empty value in a .env file means "unset", not "the empty string".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

/**
 * `companion`: the companion page's scan URL, which any phone camera opens. `authing`: the JSON
 * Authing's own QR codes carry, which its phone SDKs parse.
 */
export const qrCodeContentSchema = z.enum(["companion", "authing"], { error: 'must be "companion" or "authing"' });
export type QrCodeContent = z.infer<typeof qrCodeContentSchema>;

export const envSchema = z.object({
  NODE_ENV: optional(z.enum(["development", "production", "test"])),
  AUTHING_APP_ID: optional(z.string().trim().min(1).max(128)),
  AUTHING_APP_SECRET: optional(z.string().trim().min(16, "must be at least 16 characters")),
  AUTHING_APP_HOST: optional(
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://my-app.authing.cn" })
      // The client adds /api/v3/… and /oidc/… itself: a path here would double them and every call would 404.
      .refine((url) => {
        if (!URL.canParse(url)) return true; // reported by .url() already
        const parsed = new URL(url);
        return parsed.pathname === "/" && !parsed.search && !parsed.hash;
      }, "must be the app domain alone, with no path, query or fragment (https://my-app.authing.cn, not …/api/v3)")
      .transform((url) => url.replace(/\/+$/, "")),
  ),
  // The embedded provider's user pool id, which Authing's phone SDKs send as x-authing-userpool-id.
  AUTHING_USERPOOL_ID: optional(z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, - or _")),
  // What the embedded provider's QR codes carry: its companion page's URL, or Authing's JSON for its phone SDKs.
  QR_CODE_CONTENT: optional(qrCodeContentSchema),
  AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: optional(tokenEndpointAuthMethodSchema),
  AUTHING_REVOCATION_ENDPOINT_AUTH_METHOD: optional(tokenEndpointAuthMethodSchema),
  DATA_DIR: optional(z.string().trim().min(1)),
  QR_CODE_TTL_SECONDS: optional(z.coerce.number().int().min(1).max(3600)),
  TICKET_TTL_SECONDS: optional(z.coerce.number().int().min(1).max(3600)),
  ACCESS_TOKEN_TTL_SECONDS: optional(z.coerce.number().int().min(10).max(86_400)),
  REFRESH_TOKEN_ABSOLUTE_LIFETIME_SECONDS: optional(z.coerce.number().int().min(60).max(365 * 86_400)),
  REFRESH_TOKEN_REUSE_INTERVAL_SECONDS: optional(z.coerce.number().int().min(0).max(60)),
  NEXTAUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  NEXTAUTH_URL: optional(z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ""))),
  // Passkeys on the companion: the relying party id and the origins its pages are served from.
  PASSKEY_RP_ID: optional(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]{1,253}$/, "must be a host name such as example.com")),
  PASSKEY_ORIGINS: optional(z.string().trim().min(1)),
  SEED_DEMO_USERS: optional(booleanFlag),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
  QR_STATUS_WAIT_SECONDS: optional(z.coerce.number().int().min(0).max(MAX_STATUS_WAIT_SECONDS)),
  QR_CODE_AUTO_RENEWALS: optional(z.coerce.number().int().min(0).max(20)),
  QR_STATUS_POLL_INTERVAL_MS: optional(z.coerce.number().int().min(200).max(60_000)),
  // Authing's qrcodeLoginStrategy for its V2 clients: both off, as on Authing.
  QR_RETURN_FULL_USER_INFO: optional(booleanFlag),
  QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER: optional(booleanFlag),
  PORT: optional(z.coerce.number().int().min(1).max(65535)),
  TRUSTED_PROXY_HOPS: optional(z.coerce.number().int().min(0).max(10)),
  VERCEL: optional(z.string()),
  // The embedded provider's public surface: sign-up, and how many status waits are held.
  ALLOW_SIGNUP: optional(booleanFlag),
  QR_STATUS_MAX_HELD_WAITS: optional(z.coerce.number().int().min(0).max(100_000)),
  QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS: optional(z.coerce.number().int().min(0).max(10_000)),
  // Operating it. The logger and instrumentation.ts read LOG_LEVEL and
  // OTEL_EXPORTER_OTLP_ENDPOINT themselves (they run before this check); validated here all the same.
  METRICS_TOKEN: optional(z.string().trim().min(16, "must be at least 16 characters (a bearer token for the scraper)")),
  LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])),
  LOG_FORMAT: optional(z.enum(["json", "pretty"])),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
});

/** One instance kept 2,000 waiting pages within its latency target (the starter's benchmark); beyond, pages poll. */
export const DEFAULT_MAX_HELD_WAITS = 2000;
/** An office behind one NAT with this many login pages open still waits; more of them poll. */
export const DEFAULT_MAX_HELD_WAITS_PER_ADDRESS = 50;

export type TokenEndpointAuthMethod = z.infer<typeof tokenEndpointAuthMethodSchema>;

export type AppConfig = {
  production: boolean;
  /** The app as the identity provider knows it. */
  app: {
    id: string;
    secret: string;
    tokenEndpointAuthMethod: TokenEndpointAuthMethod;
    /** Authing sets the revocation endpoint's method apart from the token endpoint's. */
    revocationEndpointAuthMethod: TokenEndpointAuthMethod;
  };
  provider: {
    /** True when no AUTHING_APP_HOST is set: this app serves the provider itself. */
    embedded: boolean;
    /** Where the server-side client sends V3 API calls. */
    baseUrl: string;
    /**
     * The embedded provider's one user pool, as Authing's V2 clients name it (x-authing-userpool-id,
     * the QR's `userPoolId`). Default: 24 hex digits derived from the app id, the shape of Authing's.
     */
    userPoolId: string;
    /** What its QR codes carry (QR_CODE_CONTENT). */
    qrCodeContent: QrCodeContent;
  };
  dataDir: string;
  redisUrl: string | undefined;
  qrCodeTtlSeconds: number;
  /** How many times a visible login page replaces an expired code by itself before asking. */
  qrCodeAutoRenewals: number;
  ticketTtlSeconds: number;
  /**
   * Authing's `qrcodeLoginStrategy` as its V2 clients see it (`qrcodeExpiresAfter` and
   * `ticketExpiresAfter` are qrCodeTtlSeconds and ticketTtlSeconds): whether a V2 status answer
   * carries the whole user and a token, and whether /api/v2/qrcode/userinfo serves a caller that
   * does not prove the app secret.
   */
  qrCodeLoginStrategy: { returnFullUserInfo: boolean; allowExchangeUserInfoFromBrowser: boolean };
  /** Lifetime of access and id tokens the embedded provider issues. */
  accessTokenTtlSeconds: number;
  /** The embedded provider's refresh tokens: a family's absolute lifetime, and the grace for a replay. */
  refreshTokens: { absoluteLifetimeSeconds: number; reuseIntervalSeconds: number };
  seedDemoUsers: boolean;
  /**
   * How the login page follows its code. With the embedded provider each status request is held
   * up to `waitSeconds` until something changes; with another provider (which cannot wait), or
   * with `waitSeconds` 0, the page asks every `pollIntervalMs`.
   */
  statusUpdates: { waitSeconds: number; pollIntervalMs: number };
  /** Who may speak for the client's address and origin (see lib/qr-login/platform/forwarded-headers.ts). */
  proxies: ProxyTrust;
  nextAuth: { secret: string; url: string | undefined };
  /**
   * The companion's passkeys: the relying party id and the origins a passkey may be used from.
   * Undefined when the app's origin cannot host them (plain http off localhost, an IP address).
   */
  passkeys: { rpId: string; origins: string[] } | undefined;
  /** Whether /api/v3/signup creates users: always in development, in production only with ALLOW_SIGNUP=true. */
  allowSignup: boolean;
  /** Status requests held open at once, per process and per client address; beyond, answered at once. */
  heldWaits: { perProcess: number; perAddress: number };
  /** GET /api/metrics answers only a scraper presenting this bearer token; unset, the route is 404. */
  ops: { metricsToken: string | undefined };
};
