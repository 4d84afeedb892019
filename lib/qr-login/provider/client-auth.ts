import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";

import type { ProviderSettings } from "./deps";

/** What a request presented to prove it is the app. */
export type PresentedClient = {
  /** The raw `authorization` header. */
  authorization?: string | null;
  clientId?: string;
  clientSecret?: string;
};

export type ClientAuthResult = { ok: true } | { ok: false; reason: string; usedBasic: boolean };

/** Equal-length digests, so neither the content nor the length of the secret leaks through timing. */
export function secretsEqual(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function parseBasic(header: string | null | undefined): { id: string; secret: string } | "absent" | "malformed" {
  if (!header || !/^basic\s/i.test(header)) return "absent";
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

// RFC 6749 form-encodes the Basic parts; Authing's SDKs do not. Accept either spelling.
const basicVariants = (value: string) => {
  try {
    const decoded = decodeURIComponent(value.replace(/\+/g, " "));
    return decoded === value ? [value] : [value, decoded];
  } catch {
    return [value];
  }
};

/**
 * The app's configured auth method for the endpoint (the token endpoint's unless told), and only
 * it: a client using another method is refused even with the right secret, as Authing does.
 */
export function authenticateClient(
  settings: ProviderSettings,
  presented: PresentedClient,
  method: ProviderSettings["tokenEndpointAuthMethod"] = settings.tokenEndpointAuthMethod,
): ClientAuthResult {
  const basic = parseBasic(presented.authorization);
  const usedBasic = basic !== "absent";
  const fail = (reason: string): ClientAuthResult => ({ ok: false, reason, usedBasic });
  if (presented.clientId !== undefined && presented.clientId !== settings.appId) return fail("unknown client_id");

  switch (method) {
    case "none":
      if (usedBasic || presented.clientSecret !== undefined) {
        return fail("this app authenticates with method none: send no client secret");
      }
      return { ok: true };
    case "client_secret_post":
      if (usedBasic) return fail("this app authenticates with client_secret_post, not HTTP Basic");
      if (presented.clientId === undefined || presented.clientSecret === undefined) {
        return fail("client_id and client_secret are required in the body (client_secret_post)");
      }
      return secretsEqual(presented.clientSecret, settings.appSecret) ? { ok: true } : fail("invalid client credentials");
    case "client_secret_basic": {
      if (presented.clientSecret !== undefined) {
        return fail("this app authenticates with client_secret_basic: send the secret in the Authorization header");
      }
      if (basic === "absent") return fail("HTTP Basic client authentication is required (client_secret_basic)");
      if (basic === "malformed") return fail("malformed HTTP Basic credentials");
      const idOk = basicVariants(basic.id).some((id) => secretsEqual(id, settings.appId));
      const secretOk = basicVariants(basic.secret).some((secret) => secretsEqual(secret, settings.appSecret));
      return idOk && secretOk ? { ok: true } : fail("invalid client credentials");
    }
  }
}
