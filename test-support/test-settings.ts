import { REFRESH_TOKEN_TTL_SECONDS, type ProviderSettings } from "../lib/qr-login/provider/deps";

/** The embedded provider's settings for in-process unit tests; each test overrides what it is about. */
export function testProviderSettings(overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  return {
    appId: "app",
    appSecret: "secret-0123456789abcdef",
    tokenEndpointAuthMethod: "client_secret_post",
    revocationEndpointAuthMethod: "client_secret_post",
    issuer: "http://provider.test/oidc",
    qrCodeTtlSeconds: 120,
    qrCodeContent: "companion",
    ticketTtlSeconds: 300,
    userPoolId: "0123456789abcdef01234567",
    returnFullUserInfo: false,
    allowExchangeUserInfoFromBrowser: false,
    accessTokenTtlSeconds: 3600,
    refreshTokenTtlSeconds: REFRESH_TOKEN_TTL_SECONDS,
    refreshTokenAbsoluteLifetimeSeconds: REFRESH_TOKEN_TTL_SECONDS,
    refreshTokenReuseIntervalSeconds: 10,
    ...overrides,
  };
}
