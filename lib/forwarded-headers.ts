/** An origin as a browser used it: the scheme and the host (with port). */
export type RequestOrigin = { proto: "http" | "https"; host: string };

const hostPattern =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The first entry of a comma-separated header, as proxies append to them. */
export function firstHeaderValue(header: string | null): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value ? value : undefined;
}

const plainHost = (value: string | undefined) =>
  value && value.length <= 255 && hostPattern.test(value) ? value : undefined;

/**
 * The origin a browser used to reach this server: x-forwarded-proto/-host when a proxy (or this
 * app's server, calling its embedded provider on a browser's behalf) set them, else Host, else
 * the URL. A value that is not a plain host is ignored, so it can never smuggle in a path.
 */
export function requestOriginOf(headers: Headers, url: URL): RequestOrigin {
  const forwardedProto = firstHeaderValue(headers.get("x-forwarded-proto"))?.toLowerCase();
  const proto =
    forwardedProto === "http" || forwardedProto === "https" ? forwardedProto : url.protocol === "https:" ? "https" : "http";
  const host =
    plainHost(firstHeaderValue(headers.get("x-forwarded-host"))) ?? plainHost(firstHeaderValue(headers.get("host"))) ?? url.host;
  return { proto, host };
}
