import "server-only";

import { getConfig, type AppConfig } from "@/lib/qr-login/platform/config";
import { getStore } from "@/lib/qr-login/provider/store";

import { REFRESH_TOKEN_TTL_SECONDS, type ProviderDeps, type ProviderSettings } from "./deps";
import { prepareDummyHash } from "./passwords";
import { signingKey } from "./tokens";
import { seedDemoUsers } from "./users";

export function settingsFromConfig(config: AppConfig): ProviderSettings {
  return {
    appId: config.app.id,
    appSecret: config.app.secret,
    tokenEndpointAuthMethod: config.app.tokenEndpointAuthMethod,
    revocationEndpointAuthMethod: config.app.revocationEndpointAuthMethod,
    issuer: `${config.provider.baseUrl}/oidc`,
    qrCodeTtlSeconds: config.qrCodeTtlSeconds,
    qrCodeContent: config.provider.qrCodeContent,
    ticketTtlSeconds: config.ticketTtlSeconds,
    userPoolId: config.provider.userPoolId,
    returnFullUserInfo: config.qrCodeLoginStrategy.returnFullUserInfo,
    allowExchangeUserInfoFromBrowser: config.qrCodeLoginStrategy.allowExchangeUserInfoFromBrowser,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: REFRESH_TOKEN_TTL_SECONDS,
    refreshTokenAbsoluteLifetimeSeconds: config.refreshTokens.absoluteLifetimeSeconds,
    refreshTokenReuseIntervalSeconds: config.refreshTokens.reuseIntervalSeconds,
    passkeys: config.passkeys,
  };
}

/** Keys made and demo users seeded before the first request is served. */
export async function startProvider(deps: ProviderDeps, { seed }: { seed: boolean }): Promise<ProviderDeps> {
  await signingKey(deps);
  await prepareDummyHash();
  if (seed) await seedDemoUsers(deps);
  return deps;
}

const globalForProvider = globalThis as typeof globalThis & { qrLoginProvider?: Promise<ProviderDeps> };

/** The embedded provider of this process, started on first use (kept on globalThis for dev HMR). */
export function getProvider(): Promise<ProviderDeps> {
  if (!globalForProvider.qrLoginProvider) {
    const config = getConfig();
    const started = startProvider(
      { store: getStore(), now: Date.now, settings: settingsFromConfig(config) },
      { seed: config.seedDemoUsers },
    );
    started.catch(() => (globalForProvider.qrLoginProvider = undefined));
    globalForProvider.qrLoginProvider = started;
  }
  return globalForProvider.qrLoginProvider;
}
