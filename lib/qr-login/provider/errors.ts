/**
 * A refusal the caller caused. On /api/v3/* (and /api/v2/*) it becomes the envelope; `httpStatus` is 200 for
 * business errors (Authing's SDKs read the body) and a real 4xx only for protocol errors.
 */
export class ProviderError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 405 | 413 | 415 | 429,
    message: string,
    readonly apiCode?: number,
    readonly httpStatus: number = 200,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/**
 * A refusal the caller caused on /oidc/*, answered as a standard OAuth error (RFC 6749 section
 * 5.2, RFC 6750 section 3.1). Its arguments come in the order of the client's OAuthError (what an
 * OAuth error received from a provider becomes, lib/qr-login/client/authing/client.ts).
 */
export class OAuthRefusal extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly httpStatus: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = "OAuthRefusal";
  }
}
