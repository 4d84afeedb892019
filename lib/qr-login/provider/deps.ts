import type { QrCodeContent, TokenEndpointAuthMethod } from "@/lib/qr-login/platform/config";
import type { Store } from "@/lib/qr-login/provider/store/types";

export type ProviderSettings = {
  appId: string;
  appSecret: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  revocationEndpointAuthMethod: TokenEndpointAuthMethod;
  /** `iss` of every token: `${provider base URL}/oidc`. */
  issuer: string;
  qrCodeTtlSeconds: number;
  /** What a code's image carries (QR_CODE_CONTENT). */
  qrCodeContent: QrCodeContent;
  ticketTtlSeconds: number;
  /** The one user pool, as Authing's V2 clients name it (x-authing-userpool-id) and its QR payload carries. */
  userPoolId: string;
  /** Authing's qrcodeLoginStrategy for the V2 endpoints (lib/qr-login/platform/config.ts). */
  returnFullUserInfo: boolean;
  allowExchangeUserInfoFromBrowser: boolean;
  accessTokenTtlSeconds: number;
  /** A refresh token's own lifetime, renewed by each rotation... */
  refreshTokenTtlSeconds: number;
  /** ...but never past its family's: this long after the sign-in that started it. */
  refreshTokenAbsoluteLifetimeSeconds: number;
  /** A rotated refresh token presented again this soon gets a successor rather than revoking its family. */
  refreshTokenReuseIntervalSeconds: number;
  /** The companion's passkeys (PASSKEY_RP_ID, PASSKEY_ORIGINS); absent where they cannot work. */
  passkeys?: { rpId: string; origins: string[] };
};

/** What every provider service works with; tests pass a temp-file store and their own clock. */
export type ProviderDeps = {
  store: Store;
  /** Epoch milliseconds. */
  now: () => number;
  settings: ProviderSettings;
};

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
