import "server-only";

import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

import { MAX_STATUS_WAIT_SECONDS, tokenEndpointAuthMethodSchema } from "@/lib/authing/schemas";
import type { ProxyTrust } from "@/lib/forwarded-headers";

// An empty value in a .env file means "unset", not "the empty string".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

/**
 * `companion`: the companion page's scan URL, which any phone camera opens. `authing`: the JSON
 * Authing's own QR codes carry, which its phone SDKs parse (docs/phone-app-development.md).
 */
export const qrCodeContentSchema = z.enum(["companion", "authing"], { error: 'must be "companion" or "authing"' });
export type QrCodeContent = z.infer<typeof qrCodeContentSchema>;

const envSchema = z.object({
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
  SEED_DEMO_USERS: optional(booleanFlag),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
  QR_STATUS_WAIT_SECONDS: optional(z.coerce.number().int().min(0).max(MAX_STATUS_WAIT_SECONDS)),
  QR_CODE_AUTO_RENEWALS: optional(z.coerce.number().int().min(0).max(20)),
  QR_STATUS_POLL_INTERVAL_MS: optional(z.coerce.number().int().min(200).max(60_000)),
  // Authing's qrcodeLoginStrategy for its V2 clients (docs/authing-v2.md): both off, as on Authing.
  QR_RETURN_FULL_USER_INFO: optional(booleanFlag),
  QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER: optional(booleanFlag),
  PORT: optional(z.coerce.number().int().min(1).max(65535)),
  TRUSTED_PROXY_HOPS: optional(z.coerce.number().int().min(0).max(10)),
  VERCEL: optional(z.string()),
  // The embedded provider's public surface: sign-up, and how many status waits are held.
  ALLOW_SIGNUP: optional(booleanFlag),
  QR_STATUS_MAX_HELD_WAITS: optional(z.coerce.number().int().min(0).max(100_000)),
  QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS: optional(z.coerce.number().int().min(0).max(10_000)),
  // Operating it (docs/operating.md). The logger and instrumentation.ts read LOG_LEVEL and
  // OTEL_EXPORTER_OTLP_ENDPOINT themselves (they run before this check); validated here all the same.
  METRICS_TOKEN: optional(z.string().trim().min(16, "must be at least 16 characters (a bearer token for the scraper)")),
  LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])),
  LOG_FORMAT: optional(z.enum(["json", "pretty"])),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  // Tests only (lib/test-clock.ts): a file holding how far this server's clock runs ahead.
  TEST_CLOCK_FILE: optional(z.string().trim().min(1)),
});

/** One instance kept 2,000 waiting pages within its latency target (docs/bench); beyond, pages poll. */
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
  /** Who may speak for the client's address and origin (see lib/forwarded-headers.ts). */
  proxies: ProxyTrust;
  nextAuth: { secret: string; url: string | undefined };
  /** Whether /api/v3/signup creates users: always in development, in production only with ALLOW_SIGNUP=true. */
  allowSignup: boolean;
  /** Status requests held open at once, per process and per client address; beyond, answered at once. */
  heldWaits: { perProcess: number; perAddress: number };
  /** GET /api/metrics answers only a scraper presenting this bearer token; unset, the route is 404. */
  ops: { metricsToken: string | undefined };
  /** A clock the tests move forward (lib/test-clock.ts); never set in production. */
  testClockFile: string | undefined;
};

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

type DevelopmentSecrets = { appId: string; appSecret: string; nextAuthSecret: string };

const developmentSecretsSchema = z.object({
  appId: z.string().min(1),
  appSecret: z.string().min(16),
  nextAuthSecret: z.string().min(32),
});

/**
 * `npm run dev` must work with no .env, and its sessions must survive a restart, so the
 * generated secrets are written once under DATA_DIR and read back afterwards. The file is
 * created exclusively so that two processes starting at once agree on one set.
 */
function loadDevelopmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  fs.mkdirSync(dataDir, { recursive: true });
  const generated: DevelopmentSecrets = {
    appId: `dev-${randomBytes(12).toString("hex")}`,
    appSecret: randomBytes(32).toString("base64url"),
    nextAuthSecret: randomBytes(32).toString("base64url"),
  };
  try {
    fs.writeFileSync(file, JSON.stringify(generated, null, 2), { flag: "wx", mode: 0o600 });
    return generated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return developmentSecretsSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

/**
 * `testBuild`: the build was made by `npm run test:build` (lib/test-clock.ts), the one production
 * build that accepts test-only settings.
 */
export function parseConfig(env: Record<string, string | undefined>, { testBuild = false }: { testBuild?: boolean } = {}): AppConfig {
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
  if (vars.TEST_CLOCK_FILE !== undefined && production && !testBuild) {
    problems.push("TEST_CLOCK_FILE is for tests only and is refused in production (only a build made by `npm run test:build` accepts it)");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const needsGenerated =
    !vars.AUTHING_APP_ID || !vars.AUTHING_APP_SECRET || !vars.NEXTAUTH_SECRET;
  const generated = needsGenerated ? loadDevelopmentSecrets(dataDir) : undefined;

  const ownOrigin = vars.NEXTAUTH_URL ?? `http://localhost:${vars.PORT ?? 3000}`;
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
    allowSignup: vars.ALLOW_SIGNUP ?? !production,
    heldWaits: {
      perProcess: vars.QR_STATUS_MAX_HELD_WAITS ?? DEFAULT_MAX_HELD_WAITS,
      perAddress: vars.QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS ?? DEFAULT_MAX_HELD_WAITS_PER_ADDRESS,
    },
    ops: { metricsToken: vars.METRICS_TOKEN },
    testClockFile: vars.TEST_CLOCK_FILE,
  };
}

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

/** Left in its build folder by scripts/build-for-tests.mjs: the one production build that takes TEST_CLOCK_FILE. */
export const TEST_BUILD_MARKER = "TEST_BUILD";

/** Whether the build this process serves was made by `npm run test:build`. */
export function isTestBuild(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): boolean {
  return fs.existsSync(path.join(cwd, env.NEXT_DIST_DIR || ".next", TEST_BUILD_MARKER));
}

let cached: AppConfig | undefined;

/** The configuration, validated on first use (not at import, so `next build` needs no secrets). */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env, { testBuild: isTestBuild() });
  return cached;
}
