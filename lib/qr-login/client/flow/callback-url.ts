import { QR_LOGIN_PATH } from "@/lib/qr-login/client/flow/login-path";

const PLACEHOLDER_ORIGIN = "http://same-origin.invalid";
const MAX_LENGTH = 512;

/**
 * In the path: encoded slashes, backslashes and dots (a server or proxy that decodes them sees
 * other segments than the browser did), an encoded percent (double encoding), encoded controls.
 */
const ENCODED_IN_PATH = /%(2f|5c|2e|25|[01][0-9a-f]|7f)/i;
/** Anywhere: raw controls, spaces and backslashes (the URL parser drops or rewrites them). */
const RAW_REFUSED = /[\u0000-\u0020\u007f\\]/;

// URL.canParse is newer than some browsers this runs in.
function parse(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

function pathOf(url: URL): string {
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Where to go after sign-in, decided in one place for every destination: the server's redirect
 * of a signed-in visit to /login, NextAuth's redirect callback, and the component's navigation.
 * The answer is a path on this site, taken from the *normalised* URL (so dot segments and
 * encoded forms cannot collapse into `//host` after the check), never the login page or an API;
 * anything else becomes `fallback`. With `origin`, an absolute URL on that origin is accepted too
 * (NextAuth hands its callback URLs over absolute).
 */
export function safeCallbackPath(value: unknown, fallback = "/", origin?: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (RAW_REFUSED.test(value)) return fallback;

  let candidate = value;
  if (origin !== undefined && !value.startsWith("/")) {
    const absolute = parse(value);
    if (!absolute || absolute.origin !== parse(origin)?.origin) return fallback;
    candidate = pathOf(absolute);
  }
  if (!candidate.startsWith("/")) return fallback;
  const rawPath = candidate.split(/[?#]/, 1)[0] ?? "";
  if (ENCODED_IN_PATH.test(rawPath)) return fallback;

  const url = parse(candidate, PLACEHOLDER_ORIGIN);
  if (url?.origin !== PLACEHOLDER_ORIGIN) return fallback;
  const path = pathOf(url);
  // The answer must read back as itself: a browser resolving it lands on exactly this path, here.
  const reread = parse(path, PLACEHOLDER_ORIGIN);
  if (path.startsWith("//") || reread?.origin !== PLACEHOLDER_ORIGIN || pathOf(reread) !== path) return fallback;

  const pathname = url.pathname.replace(/\/+$/, "") || "/";
  if (pathname === QR_LOGIN_PATH || pathname === "/api" || pathname.startsWith("/api/")) return fallback;
  return path;
}
