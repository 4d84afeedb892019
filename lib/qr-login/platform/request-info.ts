import "server-only";

import { getConfig } from "@/lib/qr-login/platform/config";
import { clientAddressOf, requestOriginOf, trustsForwardedHeaders, type RequestOrigin } from "@/lib/qr-login/platform/forwarded-headers";

/** What the app knows about the browser (or phone) behind a request. */
export type RequesterInfo = {
  /** Undefined when no trusted proxy says it (TRUSTED_PROXY_HOPS, or Vercel). */
  ip: string | undefined;
  userAgent: string | undefined;
  /** The origin the page was opened on; the embedded provider's QR code points the phone there. */
  origin: RequestOrigin;
  secure: boolean;
};

/**
 * Secure cookies in production, and wherever the public origin is https. Browsers treat
 * http://localhost and 127.0.0.1 as secure contexts, so a production build still works locally.
 */
export function secureCookies(): boolean {
  const config = getConfig();
  return config.production || (config.nextAuth.url?.startsWith("https://") ?? false);
}

export function clientIpFrom(headers: Headers): string | undefined {
  return clientAddressOf(headers, getConfig().proxies);
}

/**
 * Whether X-Forwarded-Host/-Proto may say which origin a browser used, where NEXTAUTH_URL does
 * not settle it (development, or production against real Authing without it): a trusted proxy's,
 * and in development anyone's, so a phone on the LAN gets codes for the LAN address.
 */
export function forwardedOriginTrusted(): boolean {
  const config = getConfig();
  return trustsForwardedHeaders(config.proxies) || !config.production;
}

/**
 * The origin a request came in on, as far as this deployment can believe it. In production that
 * is NEXTAUTH_URL whenever it is set (always, with the embedded provider): neither `Host` nor
 * X-Forwarded-Host decides where a code points, not even from a trusted proxy, since
 * TRUSTED_PROXY_HOPS says who appends to X-Forwarded-For, not who overwrites X-Forwarded-Host
 * (many proxies pass the client's on). In development the request's own origin, so a phone on
 * the LAN gets codes for the laptop's LAN address.
 */
export function trustedRequestOrigin(headers: Headers, url: URL): RequestOrigin {
  const config = getConfig();
  const publicUrl = config.nextAuth.url;
  if (config.production && publicUrl) {
    const { protocol, host } = new URL(publicUrl);
    return { proto: protocol === "https:" ? "https" : "http", host };
  }
  // Untrusted, the scheme is the public origin's (NEXTAUTH_URL), never the request's say-so.
  const publicProto = publicUrl?.startsWith("https://") ? "https" : "http";
  return requestOriginOf(headers, url, forwardedOriginTrusted(), publicProto);
}

export function requesterInfoFrom(headers: Headers, url: URL): RequesterInfo {
  const origin = trustedRequestOrigin(headers, url);
  return {
    ip: clientIpFrom(headers),
    userAgent: headers.get("user-agent")?.slice(0, 512) || undefined,
    origin,
    secure: secureCookies() || origin.proto === "https",
  };
}

/** Whether cookies for this request must be Secure: always in production, else when it came over https. */
export function isHttpsRequest(headers: Headers): boolean {
  return secureCookies() || trustedRequestOrigin(headers, new URL(getConfig().nextAuth.url ?? "http://localhost")).proto === "https";
}
