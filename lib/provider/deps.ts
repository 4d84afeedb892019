import type { QrCodeContent, TokenEndpointAuthMethod } from "@/lib/config";
import type { Store } from "@/lib/store/types";

export type ProviderSettings = {
  appId: string;
  appSecret: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  revocationEndpointAuthMethod: TokenEndpointAuthMethod;
  /** `iss` of every token: `${provider base URL}/oidc`. */
  issuer: string;
  qrCodeTtlSeconds: number;
  /** What a code's image carries (QR_CODE_CONTENT), and the pool Authing's payload names. */
  qrCodeContent: QrCodeContent;
  userPoolId: string;
  ticketTtlSeconds: number;
  accessTokenTtlSeconds: number;
  /** A refresh token's own lifetime, renewed by each rotation... */
  refreshTokenTtlSeconds: number;
  /** ...but never past its family's: this long after the sign-in that started it. */
  refreshTokenAbsoluteLifetimeSeconds: number;
  /** A rotated refresh token presented again this soon gets a successor rather than revoking its family. */
  refreshTokenReuseIntervalSeconds: number;
};

/** What every provider service works with; tests pass a temp-file store and their own clock. */
export type ProviderDeps = {
  store: Store;
  /** Epoch milliseconds. */
  now: () => number;
  settings: ProviderSettings;
};

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
