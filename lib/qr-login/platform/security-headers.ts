import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import { getConfig, type AppConfig } from "@/lib/qr-login/platform/config";

/**
 * The page's Content Security Policy: scripts only with this response's nonce (Next puts it on
 * its own scripts when it finds it in the request's CSP header), no inline script without one,
 * fetches to this origin only, images from here (and from the provider's host, which serves
 * the QR image when it is not embedded). No inline style either: <QrLogin> sizes its code with
 * width and height attributes, not a style attribute.
 *
 * Without a nonce (`null`), for pages Next prerenders: their HTML was written at build time and
 * carries no nonce, so their inline scripts are allowed by 'unsafe-inline' instead of refused.
 */
export function contentSecurityPolicy(config: AppConfig, nonce: string | null): string {
  const images = ["'self'", "data:", "blob:"];
  if (!config.provider.embedded) images.push(new URL(config.provider.baseUrl).origin);
  const https = config.nextAuth.url?.startsWith("https://") ?? false;
  // `next dev` evaluates its modules and injects styles for fast refresh.
  const development = !config.production;
  const evalSource = development ? " 'unsafe-eval'" : "";
  return [
    "default-src 'self'",
    nonce ? `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${evalSource}` : `script-src 'self' 'unsafe-inline'${evalSource}`,
    development || !nonce ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    `img-src ${images.join(" ")}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** HSTS wherever the public origin is https (browsers ignore it over http anyway). */
export function strictTransportSecurity(config: AppConfig): string | undefined {
  return config.nextAuth.url?.startsWith("https://") ? "max-age=63072000; includeSubDomains" : undefined;
}

export type SecurityHeadersOptions = {
  /**
   * Which pages get a per-request nonce. Only pages rendered wholly per request may: a page Next
   * prerendered (a static page, or a Cache Components shell) has no nonce in its HTML and its
   * scripts would be refused. Other pages get the same policy with 'unsafe-inline' scripts.
   * Every page by default, as in this app, where every page renders per request.
   */
  nonceOn?: (pathname: string) => boolean;
};

/**
 * Runs a proxy step with a fresh nonce: the request it sees carries the CSP (where Next reads
 * the nonce), and whatever it answers gets the CSP and HSTS headers.
 */
export async function withSecurityHeaders(
  request: NextRequest,
  next: (request: NextRequest) => Promise<NextResponse> | NextResponse,
  options: SecurityHeadersOptions = {},
): Promise<NextResponse> {
  const withNonce = (options.nonceOn ?? (() => true))(request.nextUrl.pathname);
  const nonce = withNonce ? Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64") : null;
  const config = getConfig();
  const policy = contentSecurityPolicy(config, nonce);
  request.headers.set("content-security-policy", policy);
  if (nonce) request.headers.set("x-nonce", nonce);
  else request.headers.delete("x-nonce");
  const response = await next(request);
  response.headers.set("content-security-policy", policy);
  const hsts = strictTransportSecurity(config);
  if (hsts) response.headers.set("strict-transport-security", hsts);
  return response;
}
