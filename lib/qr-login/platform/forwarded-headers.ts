import { isIP } from "node:net";

/** An origin as a browser used it: the scheme and the host (with port). */
export type RequestOrigin = { proto: "http" | "https"; host: string };

/**
 * Which forwarded headers this deployment can believe. `hops`: how many proxies in front of the
 * app append to X-Forwarded-For (and set X-Forwarded-Host/-Proto); with none, a client reaching
 * the app directly writes those headers itself. `vercel`: Vercel's edge sets its own headers.
 */
export type ProxyTrust = { hops: number; vercel: boolean };

export const trustsForwardedHeaders = (trust: ProxyTrust) => trust.vercel || trust.hops > 0;

const hostPattern =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The first entry of a comma-separated header. */
export function firstHeaderValue(header: string | null): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value ? value : undefined;
}

const plainHost = (value: string | undefined) =>
  value && value.length <= 255 && hostPattern.test(value) ? value : undefined;

/** An address as proxies write it (`[v6]:port`, `v4:port`, `::ffff:v4`), or undefined if it is none. */
export function plainIp(value: string | undefined | null): string | undefined {
  let address = value?.trim().toLowerCase();
  if (!address) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.split("%")[0] ?? address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) address = mapped[1];
  return isIP(address) ? address : undefined;
}

/**
 * The client's address, or undefined when nothing trustworthy says it. With N trusted hops the
 * last N entries of X-Forwarded-For were appended by those proxies, each the address it saw, so
 * the client is the N-th from the right; anything further left is whatever the client sent.
 * Next itself fills X-Forwarded-For from the socket only when the header is absent, so with no
 * trusted hop the header may be the client's own words: the address is unknown.
 */
export function clientAddressOf(headers: Headers, trust: ProxyTrust): string | undefined {
  if (trust.vercel) {
    return plainIp(headers.get("x-real-ip")) ?? plainIp(firstHeaderValue(headers.get("x-vercel-forwarded-for")));
  }
  if (trust.hops < 1) return undefined;
  const entries = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim());
  return entries.length >= trust.hops ? plainIp(entries[entries.length - trust.hops]) : undefined;
}

/**
 * The origin a browser used to reach this server: X-Forwarded-Proto/-Host when `trustForwarded`
 * (a trusted proxy set them), else Host and `untrustedProto` (Next builds a request's URL from
 * X-Forwarded-Proto, so the URL's scheme is no better than the header). A value that is not a
 * plain host is ignored, so it can never smuggle in a path.
 */
export function requestOriginOf(
  headers: Headers,
  url: URL,
  trustForwarded: boolean,
  untrustedProto: RequestOrigin["proto"] = "http",
): RequestOrigin {
  const forwardedProto = trustForwarded ? firstHeaderValue(headers.get("x-forwarded-proto"))?.toLowerCase() : undefined;
  const urlProto = url.protocol === "https:" ? "https" : "http";
  const proto =
    forwardedProto === "http" || forwardedProto === "https" ? forwardedProto : trustForwarded ? urlProto : untrustedProto;
  const forwardedHost = trustForwarded ? plainHost(firstHeaderValue(headers.get("x-forwarded-host"))) : undefined;
  const host = forwardedHost ?? plainHost(firstHeaderValue(headers.get("host"))) ?? url.host;
  return { proto, host };
}
