import "server-only";

import { isIP } from "node:net";

import { getConfig } from "@/lib/config";
import { firstHeaderValue, requestOriginOf, type RequestOrigin } from "@/lib/forwarded-headers";

/** What the app knows about the browser (or phone) behind a request. */
export type RequesterInfo = {
  ip: string | undefined;
  userAgent: string | undefined;
  /** The origin the page was opened on; the embedded provider's QR code points the phone there. */
  origin: RequestOrigin;
  secure: boolean;
};

export function clientIpFrom(headers: Headers): string | undefined {
  // Next sets x-forwarded-for from the socket when no proxy in front of it did.
  let ip = firstHeaderValue(headers.get("x-forwarded-for"));
  if (ip?.startsWith("[")) ip = ip.slice(1, ip.indexOf("]"));
  return ip && isIP(ip) ? ip : undefined;
}

export function requesterInfoFrom(headers: Headers, url: URL): RequesterInfo {
  const origin = requestOriginOf(headers, url);
  return {
    ip: clientIpFrom(headers),
    userAgent: headers.get("user-agent")?.slice(0, 512) || undefined,
    origin,
    secure: origin.proto === "https",
  };
}

/** Whether the browser reached the app over https, where the request's URL cannot tell. */
export function isHttpsRequest(headers: Headers): boolean {
  return requestOriginOf(headers, new URL(getConfig().nextAuth.url ?? "http://localhost")).proto === "https";
}
