import "server-only";

import { isIP } from "node:net";

import type { ForwardedOrigin } from "@/lib/authing/client";

/** What the app knows about the browser (or phone) behind a request. */
export type RequesterInfo = {
  ip: string | undefined;
  userAgent: string | undefined;
  /** The origin the page was opened on; the QR code points the phone there. */
  origin: ForwardedOrigin | undefined;
  secure: boolean;
};

const hostPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function firstValue(header: string | null): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value ? value : undefined;
}

export function clientIpFrom(headers: Headers): string | undefined {
  // Next sets x-forwarded-for from the socket when no proxy in front of it did.
  let ip = firstValue(headers.get("x-forwarded-for"));
  if (ip?.startsWith("[")) ip = ip.slice(1, ip.indexOf("]"));
  return ip && isIP(ip) ? ip : undefined;
}

export function requesterInfoFrom(headers: Headers, url: URL): RequesterInfo {
  const protoHeader = firstValue(headers.get("x-forwarded-proto"));
  const proto = protoHeader === "https" || protoHeader === "http" ? protoHeader : url.protocol === "https:" ? "https" : "http";
  const hostHeader = firstValue(headers.get("x-forwarded-host")) ?? firstValue(headers.get("host")) ?? url.host;
  const host = hostHeader && hostPattern.test(hostHeader) && hostHeader.length <= 255 ? hostHeader : undefined;
  const userAgent = headers.get("user-agent")?.slice(0, 512) || undefined;
  return {
    ip: clientIpFrom(headers),
    userAgent,
    origin: host ? { proto, host } : undefined,
    secure: proto === "https",
  };
}
