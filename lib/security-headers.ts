import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import { getConfig, type AppConfig } from "@/lib/config";

/**
 * The page's Content Security Policy: scripts only with this response's nonce (Next puts it on
 * its own scripts when it finds it in the request's CSP header), no inline script without one,
 * fetches to this origin only, images from here (and from the provider's host, which serves
 * the QR image when it is not embedded). Style attributes are allowed (`style-src-attr`): they
 * carry no selectors and load nothing img-src does not allow, and <QrLogin>'s `size` is one;
 * style elements still need the nonce.
 */
export function contentSecurityPolicy(config: AppConfig, nonce: string): string {
  const images = ["'self'", "data:", "blob:"];
  if (!config.provider.embedded) images.push(new URL(config.provider.baseUrl).origin);
  const https = config.nextAuth.url?.startsWith("https://") ?? false;
  // `next dev` evaluates its modules and injects styles for fast refresh.
  const development = !config.production;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
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

/**
 * Runs a proxy step with a fresh nonce: the request it sees carries the CSP (where Next reads
 * the nonce), and whatever it answers gets the CSP and HSTS headers.
 */
export async function withSecurityHeaders(
  request: NextRequest,
  next: (request: NextRequest) => Promise<NextResponse> | NextResponse,
): Promise<NextResponse> {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const config = getConfig();
  const policy = contentSecurityPolicy(config, nonce);
  request.headers.set("content-security-policy", policy);
  request.headers.set("x-nonce", nonce);
  const response = await next(request);
  response.headers.set("content-security-policy", policy);
  const hsts = strictTransportSecurity(config);
  if (hsts) response.headers.set("strict-transport-security", hsts);
  return response;
}
