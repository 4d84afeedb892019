import type { TokenEndpointAuthMethod } from "@/lib/config";
import type { Store } from "@/lib/store/types";

export type ProviderSettings = {
  appId: string;
  appSecret: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  revocationEndpointAuthMethod: TokenEndpointAuthMethod;
  /** `iss` of every token: `${provider base URL}/oidc`. */
  issuer: string;
  qrCodeTtlSeconds: number;
  ticketTtlSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
};

/** What every provider service works with; tests pass a temp-file store and their own clock. */
export type ProviderDeps = {
  store: Store;
  /** Epoch milliseconds. */
  now: () => number;
  settings: ProviderSettings;
};

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
