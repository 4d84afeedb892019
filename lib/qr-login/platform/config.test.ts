import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { tempDirs } from "@/test-support/temp-dirs";

import { ConfigError, parseConfig } from "./config";
import { configWarnings } from "./config-warnings";

const tempDataDir = tempDirs("qr-login-config-");

/** A valid production configuration with the embedded provider, on a data folder of its own. */
const productionEnv = () => ({
  NODE_ENV: "production",
  DATA_DIR: tempDataDir(),
  AUTHING_APP_ID: "my-app",
  AUTHING_APP_SECRET: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa",
  NEXTAUTH_SECRET: "n".repeat(32),
  NEXTAUTH_URL: "https://qr.example.com",
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseConfig", () => {
  it("takes the passkeys' relying party from NEXTAUTH_URL, is off where browsers refuse them, and refuses settings that cannot work", () => {
    expect(parseConfig(productionEnv()).passkeys).toEqual({ rpId: "qr.example.com", origins: ["https://qr.example.com"] });
    expect(parseConfig({ DATA_DIR: tempDataDir() }).passkeys).toEqual({ rpId: "localhost", origins: ["http://localhost:3000"] });
    // Plain http off localhost and IP addresses: no passkeys, the app still starts.
    expect(parseConfig({ ...productionEnv(), NEXTAUTH_URL: "http://192.168.1.5:3000" }).passkeys).toBeUndefined();
    expect(parseConfig({ ...productionEnv(), NEXTAUTH_URL: "https://10.0.0.1" }).passkeys).toBeUndefined();
    expect(parseConfig({ ...productionEnv(), AUTHING_APP_HOST: "https://my-app.authing.cn" }).passkeys).toBeUndefined();
    expect(
      parseConfig({ ...productionEnv(), PASSKEY_RP_ID: "example.com", PASSKEY_ORIGINS: "https://qr.example.com, https://m.example.com" }).passkeys,
    ).toEqual({ rpId: "example.com", origins: ["https://qr.example.com", "https://m.example.com"] });
    expect(problemsOf({ ...productionEnv(), PASSKEY_RP_ID: "other.org" })).toEqual([
      "PASSKEY_RP_ID / PASSKEY_ORIGINS cannot work: the relying party id other.org does not cover https://qr.example.com (it must be its host or a parent domain of it)",
    ]);
    expect(problemsOf({ ...productionEnv(), PASSKEY_ORIGINS: "http://m.example.com" })[0]).toContain("http://m.example.com is not a secure context");
    expect(problemsOf({ ...productionEnv(), PASSKEY_ORIGINS: "https://m.example.com/path" })[0]).toContain('"https://m.example.com/path" is not an origin');
    expect(problemsOf({ ...productionEnv(), PASSKEY_RP_ID: "127.0.0.1", PASSKEY_ORIGINS: "http://localhost:3000" })[0]).toContain("is an IP address");
  });

  it("runs development with no variables: generated secrets, written once and read back", () => {
    const DATA_DIR = tempDataDir();
    const first = parseConfig({ DATA_DIR });
    expect(first.provider).toMatchObject({ embedded: true, baseUrl: "http://localhost:3000" });
    expect(first.provider.userPoolId).toMatch(/^[0-9a-f]{24}$/);
    expect(first.app.tokenEndpointAuthMethod).toBe("client_secret_post");
    expect(first.app.secret.length).toBeGreaterThanOrEqual(32);
    expect(first.nextAuth.secret.length).toBeGreaterThanOrEqual(32);
    expect([first.qrCodeTtlSeconds, first.ticketTtlSeconds, first.seedDemoUsers]).toEqual([120, 300, true]);
    // The dev server fills X-Forwarded-For from its own socket: one hop, so addresses are known.
    expect(first.proxies).toEqual({ hops: 1, vercel: false });
    expect(parseConfig({ DATA_DIR, TRUSTED_PROXY_HOPS: "0" }).proxies.hops).toBe(0);

    const file = path.join(DATA_DIR, "dev-secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ appId: first.app.id, appSecret: first.app.secret });
    // A restart gets the same app and the same session secret, so sessions survive it.
    const second = parseConfig({ DATA_DIR, PORT: "4000" });
    expect(second.app).toEqual(first.app);
    expect(second.nextAuth.secret).toBe(first.nextAuth.secret);
    expect(second.provider.baseUrl).toBe("http://localhost:4000");
  });

  it("makes a data folder that only its user enters and git ignores, in whatever repository it lands", () => {
    const repository = tempDataDir();
    execFileSync("git", ["init", "--quiet", repository]);
    const DATA_DIR = path.join(repository, ".data");
    parseConfig({ DATA_DIR });
    expect(statSync(DATA_DIR).mode & 0o777).toBe(0o700);
    expect(readFileSync(path.join(DATA_DIR, ".gitignore"), "utf8")).toMatch(/^\*$/m);
    // `git add -A` in the host would take nothing of it: not the secrets, not the .gitignore.
    expect(execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: repository, encoding: "utf8" })).toBe("");
    expect(readFileSync(path.join(DATA_DIR, "dev-secrets.json"), "utf8")).toContain("appSecret");
  });

  it("takes given values over generated ones and treats empty values as unset", () => {
    const config = parseConfig({
      DATA_DIR: tempDataDir(),
      AUTHING_APP_ID: "my-app",
      AUTHING_APP_SECRET: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa",
      NEXTAUTH_SECRET: "n".repeat(32),
      AUTHING_APP_HOST: "https://my-app.authing.cn/",
      AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: "client_secret_basic",
      QR_CODE_TTL_SECONDS: "30",
      SEED_DEMO_USERS: "false",
      NEXTAUTH_URL: "",
    });
    expect(config.app).toEqual({
      id: "my-app",
      secret: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa",
      tokenEndpointAuthMethod: "client_secret_basic",
      // Authing's default, whatever the token endpoint uses.
      revocationEndpointAuthMethod: "client_secret_post",
    });
    expect(config.provider).toMatchObject({ embedded: false, baseUrl: "https://my-app.authing.cn" });
    expect(config.nextAuth.url).toBeUndefined();
    expect([config.qrCodeTtlSeconds, config.seedDemoUsers]).toEqual([30, false]);
  });

  it("names every missing production secret at once", () => {
    const problems = problemsOf({ NODE_ENV: "production", DATA_DIR: tempDataDir() });
    expect(problems.map((problem) => problem.split(" ")[0])).toEqual([
      "AUTHING_APP_ID",
      "AUTHING_APP_SECRET",
      "NEXTAUTH_SECRET",
      "NEXTAUTH_URL",
    ]);
  });

  it("refuses a weak AUTHING_APP_SECRET in production with the embedded provider, which accepts it as the app's password", () => {
    const weak = [
      "sixteen-chars-ok",
      "a-secret-of-sixteen-or-more",
      "a".repeat(40),
      "abab".repeat(10),
    ];
    for (const secret of weak) {
      expect(problemsOf({ ...productionEnv(), AUTHING_APP_SECRET: secret })).toEqual([
        "AUTHING_APP_SECRET is too weak for the embedded provider, which accepts it as the app's password: use at least 32 random characters, not a word or a repeated pattern (openssl rand -base64 32)",
      ]);
    }
    // What `openssl rand -base64 32` and `-hex 16` make, and Authing's own 32 hex digits, pass.
    for (const secret of ["q9Xl3bK0vR7mZ2pW8sT4yN6cH1dF5gJ0aE3uI7oL2kM=", "3f9a0c7e51b24d68a1e0f3c9b7d52e84"]) {
      expect(problemsOf({ ...productionEnv(), AUTHING_APP_SECRET: secret })).toEqual([]);
    }
    // Real Authing issues the secret itself; development generates a strong one unless told.
    expect(problemsOf({ ...productionEnv(), AUTHING_APP_HOST: "https://my-app.authing.cn", AUTHING_APP_SECRET: "sixteen-chars-ok" })).toEqual([]);
    expect(problemsOf({ DATA_DIR: tempDataDir(), AUTHING_APP_SECRET: "sixteen-chars-ok" })).toEqual([]);
  });

  it("needs no app secret in production when both auth methods are none", () => {
    const env = {
      NODE_ENV: "production",
      DATA_DIR: tempDataDir(),
      AUTHING_APP_ID: "spa-app",
      AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: "none",
      NEXTAUTH_SECRET: "n".repeat(32),
      NEXTAUTH_URL: "https://qr.example.com",
    };
    // The revocation endpoint keeps Authing's default, client_secret_post, unless told.
    expect(problemsOf(env)).toEqual(["AUTHING_APP_SECRET is required in production (an auth method is client_secret_post)"]);
    const config = parseConfig({ ...env, AUTHING_REVOCATION_ENDPOINT_AUTH_METHOD: "none" });
    expect(config.app).toMatchObject({ id: "spa-app", tokenEndpointAuthMethod: "none", revocationEndpointAuthMethod: "none" });
    expect(config.provider.baseUrl).toBe("https://qr.example.com");
  });

  it("explains malformed values by variable", () => {
    const problems = problemsOf({
      DATA_DIR: tempDataDir(),
      AUTHING_APP_HOST: "my-app.authing.cn",
      AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: "private_key_jwt",
      QR_CODE_TTL_SECONDS: "soon",
      NEXTAUTH_SECRET: "short",
    });
    expect(problems.map((problem) => problem.split(":")[0]).sort()).toEqual([
      "AUTHING_APP_HOST",
      "AUTHING_TOKEN_ENDPOINT_AUTH_METHOD",
      "NEXTAUTH_SECRET",
      "QR_CODE_TTL_SECONDS",
    ]);
  });

  it("refuses an AUTHING_APP_HOST with a path, which would send every call to a wrong URL", () => {
    const base = { DATA_DIR: tempDataDir(), AUTHING_APP_ID: "my-app", AUTHING_APP_SECRET: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa" };
    for (const host of ["https://my-app.authing.cn/authing/v3", "https://my-app.authing.cn/api/v3/", "https://my-app.authing.cn/?x=1"]) {
      const problems = problemsOf({ ...base, AUTHING_APP_HOST: host });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^AUTHING_APP_HOST: must be the app domain alone, with no path/);
    }
    expect(parseConfig({ ...base, AUTHING_APP_HOST: "https://my-app.authing.cn/" }).provider.baseUrl).toBe("https://my-app.authing.cn");
  });

  it("renews expired codes three times by default, as configured", () => {
    const dataDir = tempDataDir();
    expect(parseConfig({ DATA_DIR: dataDir }).qrCodeAutoRenewals).toBe(3);
    expect(parseConfig({ DATA_DIR: dataDir, QR_CODE_AUTO_RENEWALS: "0" }).qrCodeAutoRenewals).toBe(0);
    expect(problemsOf({ DATA_DIR: dataDir, QR_CODE_AUTO_RENEWALS: "-1" })[0]).toMatch(/^QR_CODE_AUTO_RENEWALS/);
  });

  it("encodes the companion URL in QR codes by default, Authing's payload with QR_CODE_CONTENT=authing, and names a wrong value", () => {
    const dataDir = tempDataDir();
    expect(parseConfig({ DATA_DIR: dataDir }).provider.qrCodeContent).toBe("companion");
    expect(parseConfig({ DATA_DIR: dataDir, QR_CODE_CONTENT: "" }).provider.qrCodeContent).toBe("companion");
    expect(parseConfig({ DATA_DIR: dataDir, QR_CODE_CONTENT: "authing" }).provider.qrCodeContent).toBe("authing");
    expect(problemsOf({ DATA_DIR: dataDir, QR_CODE_CONTENT: "json" })).toEqual(['QR_CODE_CONTENT: must be "companion" or "authing"']);
  });

  it("ends a refresh family after 30 days and forgives a replay for 10 s by default, as configured", () => {
    const dataDir = tempDataDir();
    expect(parseConfig({ DATA_DIR: dataDir }).refreshTokens).toEqual({ absoluteLifetimeSeconds: 30 * 86_400, reuseIntervalSeconds: 10 });
    expect(
      parseConfig({ DATA_DIR: dataDir, REFRESH_TOKEN_ABSOLUTE_LIFETIME_SECONDS: "86400", REFRESH_TOKEN_REUSE_INTERVAL_SECONDS: "0" }).refreshTokens,
    ).toEqual({ absoluteLifetimeSeconds: 86_400, reuseIntervalSeconds: 0 });
    const problems = problemsOf({ DATA_DIR: dataDir, REFRESH_TOKEN_ABSOLUTE_LIFETIME_SECONDS: "0", REFRESH_TOKEN_REUSE_INTERVAL_SECONDS: "3600" });
    expect(problems.map((problem) => problem.split(":")[0]).sort()).toEqual(["REFRESH_TOKEN_ABSOLUTE_LIFETIME_SECONDS", "REFRESH_TOKEN_REUSE_INTERVAL_SECONDS"]);
  });

  it("waits for status changes with the embedded provider, and polls a provider that cannot wait", () => {
    const dataDir = tempDataDir();
    expect(parseConfig({ DATA_DIR: dataDir }).statusUpdates).toEqual({ waitSeconds: 25, pollIntervalMs: 800 });
    expect(parseConfig({ DATA_DIR: dataDir, QR_STATUS_WAIT_SECONDS: "0", QR_STATUS_POLL_INTERVAL_MS: "1500" }).statusUpdates)
      .toEqual({ waitSeconds: 0, pollIntervalMs: 1500 });
    const external = parseConfig({
      DATA_DIR: dataDir,
      AUTHING_APP_HOST: "https://my-app.authing.cn",
      AUTHING_APP_ID: "my-app",
      AUTHING_APP_SECRET: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa",
      QR_STATUS_WAIT_SECONDS: "25",
    });
    expect(external.statusUpdates).toEqual({ waitSeconds: 0, pollIntervalMs: 800 });
    expect(problemsOf({ DATA_DIR: dataDir, QR_STATUS_WAIT_SECONDS: "30" })[0]).toMatch(/^QR_STATUS_WAIT_SECONDS/);
  });

  it("refuses the embedded provider on Vercel without REDIS_URL, and says where to get one", () => {
    const vercel = {
      NODE_ENV: "production",
      VERCEL: "1",
      DATA_DIR: tempDataDir(),
      AUTHING_APP_ID: "my-app",
      AUTHING_APP_SECRET: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa",
      NEXTAUTH_SECRET: "n".repeat(32),
      NEXTAUTH_URL: "https://qr.example.com",
    };
    const problems = problemsOf(vercel);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^REDIS_URL is required on Vercel.*Vercel Marketplace/);
    expect(problemsOf({ ...vercel, REDIS_URL: "rediss://default:pw@example.upstash.io:6379" })).toEqual([]);
    expect(problemsOf({ ...vercel, AUTHING_APP_HOST: "https://my-app.authing.cn" })).toEqual([]);
    expect(problemsOf({ ...vercel, NODE_ENV: "development" })).toEqual([]);
  });

  it("trusts no proxy unless told how many hops, and says so at a production start", () => {
    const production = productionEnv();
    const direct = parseConfig(production);
    expect(direct.proxies).toEqual({ hops: 0, vercel: false });
    // Demo users (published password) stay off in production unless asked for, with a warning.
    expect(direct.seedDemoUsers).toBe(false);
    expect(configWarnings(direct).join("\n")).not.toContain("SEED_DEMO_USERS");
    expect(configWarnings(parseConfig({ ...production, SEED_DEMO_USERS: "true" })).join("\n")).toContain("SEED_DEMO_USERS is true");
    expect(configWarnings(direct).join("\n")).toContain("TRUSTED_PROXY_HOPS is 0");
    const proxied = parseConfig({ ...production, TRUSTED_PROXY_HOPS: "2" });
    expect(proxied.proxies).toEqual({ hops: 2, vercel: false });
    expect(configWarnings(proxied).join("\n")).not.toContain("TRUSTED_PROXY_HOPS");
    expect(configWarnings(parseConfig({ ...production, VERCEL: "1", REDIS_URL: "redis://127.0.0.1:6379" })).join("\n")).not.toContain("TRUSTED_PROXY_HOPS");
    expect(problemsOf({ ...production, TRUSTED_PROXY_HOPS: "-1" })[0]).toMatch(/^TRUSTED_PROXY_HOPS/);
  });

  it("takes only VERCEL=1 for Vercel: any other value trusts no Vercel header", () => {
    const production = { ...productionEnv(), REDIS_URL: "redis://127.0.0.1:6379" };
    expect(parseConfig({ ...production, VERCEL: "1" }).proxies).toEqual({ hops: 0, vercel: true });
    for (const VERCEL of ["0", "false", "true", "yes", " 1"]) {
      expect(parseConfig({ ...production, VERCEL }).proxies, VERCEL).toEqual({ hops: 0, vercel: false });
      // Nor does it ask for Redis, as Vercel would.
      const withoutRedis = Object.fromEntries(Object.entries(production).filter(([name]) => name !== "REDIS_URL"));
      expect(problemsOf({ ...withoutRedis, VERCEL }), VERCEL).toEqual([]);
    }
    expect(parseConfig({ VERCEL: "1", DATA_DIR: "", AUTHING_APP_ID: "a", AUTHING_APP_SECRET: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa", NEXTAUTH_SECRET: "n".repeat(32) }).dataDir).toBe("/tmp/qr-login-data");
  });

  it("in production: sign-up off unless ALLOW_SIGNUP, held-wait caps validated, and a loud warning when the provider cannot tell clients apart", () => {
    const production = productionEnv();
    const direct = parseConfig(production);
    expect(direct.allowSignup).toBe(false);
    expect(parseConfig({ DATA_DIR: tempDataDir() }).allowSignup).toBe(true);
    const open = parseConfig({ ...production, ALLOW_SIGNUP: "true", TRUSTED_PROXY_HOPS: "1" });
    expect(open.allowSignup).toBe(true);
    expect(configWarnings(open).join("\n")).toContain("ALLOW_SIGNUP is true");
    expect(direct.heldWaits).toEqual({ perProcess: 2000, perAddress: 50 });
    expect(parseConfig({ ...production, QR_STATUS_MAX_HELD_WAITS: "10", QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS: "2" }).heldWaits).toEqual({ perProcess: 10, perAddress: 2 });
    expect(problemsOf({ ...production, QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS: "lots" })[0]).toMatch(/^QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS/);
    expect(problemsOf({ ...production, QR_STATUS_MAX_HELD_WAITS: "-1" })[0]).toMatch(/^QR_STATUS_MAX_HELD_WAITS/);
    // No trusted proxy with the embedded provider: it starts, and says out loud what is shared.
    const shared = configWarnings(direct).find((warning) => warning.startsWith("!!!"));
    expect(shared).toMatch(/ONE budget shared by every client/);
    expect(shared).toContain("TRUSTED_PROXY_HOPS");
    expect(configWarnings(parseConfig({ ...production, TRUSTED_PROXY_HOPS: "1" })).join("\n")).not.toContain("!!!");
    expect(configWarnings(parseConfig({ ...production, AUTHING_APP_HOST: "https://my-app.authing.cn" })).join("\n")).not.toContain("!!!");
  });

  it("warns that real Authing without REDIS_URL keeps sign-outs in memory, and only then", () => {
    const production = productionEnv();
    const authing = { ...production, AUTHING_APP_HOST: "https://my-app.authing.cn" };
    expect(configWarnings(parseConfig(authing)).join("\n")).toContain("REDIS_URL is not set: sign-outs");
    expect(configWarnings(parseConfig({ ...authing, REDIS_URL: "redis://127.0.0.1:6379" })).join("\n")).not.toContain("REDIS_URL is not set");
    expect(configWarnings(parseConfig(production)).join("\n")).not.toContain("REDIS_URL is not set");
  });

  it("Authing's qrcodeLoginStrategy for the V2 endpoints: both off by default, validated, and warned about in production when on", () => {
    const production = productionEnv();
    expect(parseConfig(production).qrCodeLoginStrategy).toEqual({ returnFullUserInfo: false, allowExchangeUserInfoFromBrowser: false });
    expect(configWarnings(parseConfig(production)).join("\n")).not.toContain("QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER");
    for (const name of ["QR_RETURN_FULL_USER_INFO", "QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER"]) {
      const on = parseConfig({ ...production, [name]: "true" });
      expect(on.qrCodeLoginStrategy).toMatchObject({ [name === "QR_RETURN_FULL_USER_INFO" ? "returnFullUserInfo" : "allowExchangeUserInfoFromBrowser"]: true });
      expect(configWarnings(on).join("\n"), name).toContain("can get its user's token, with no app secret");
      expect(problemsOf({ ...production, [name]: "yes" })[0]).toMatch(new RegExp(`^${name}`));
    }
  });

  it("requires the app id and secret when real Authing is configured, even in development", () => {
    const problems = problemsOf({ DATA_DIR: tempDataDir(), AUTHING_APP_HOST: "https://my-app.authing.cn" });
    expect(problems.map((problem) => problem.split(" ")[0])).toEqual(["AUTHING_APP_ID", "AUTHING_APP_SECRET"]);
  });
});
