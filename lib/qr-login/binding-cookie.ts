import "server-only";

import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";

import { qrCodeIdSchema } from "@/lib/authing/schemas";

/**
 * The cookie that binds QR codes to the browser that asked for them (threat: session hijack by
 * id). It holds the newest few codes so that two tabs of one browser do not evict each other.
 */
// `__Host-` in production: Secure, path /, no Domain, so no subdomain or http page can plant one.
export const BINDING_COOKIE_NAME = process.env.NODE_ENV === "production" ? "__Host-qr-login-binding" : "qr-login-binding";
export const MAX_BOUND_CODES = 3;
/**
 * A code stays vouched for a little past its expiry, so that a confirmation in its last second
 * can still be redeemed and the page hears "expired" rather than "not yours".
 */
export const BINDING_GRACE_MS = 60_000;

const bindingSchema = z.object({
  qrcodeId: qrCodeIdSchema,
  imageUrl: z.string().max(2048),
  expiresAt: z.number().int().positive(),
});
export type QrCodeBinding = z.infer<typeof bindingSchema>;

const payloadSchema = z.object({ v: z.literal(1), codes: z.array(bindingSchema).max(MAX_BOUND_CODES) });

const keys = new Map<string, Buffer>();

/** A key for this one purpose, derived from the NextAuth secret so no new secret is needed. */
export function bindingKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "qr-login", "qr-login binding cookie v1", 32));
    keys.set(secret, key);
  }
  return key;
}

function sign(body: string, key: Buffer): Buffer {
  return createHmac("sha256", key).update(body).digest();
}

function isKept(binding: QrCodeBinding, now: number): boolean {
  return binding.expiresAt + BINDING_GRACE_MS > now;
}

export function encodeBindings(bindings: QrCodeBinding[], key: Buffer): string {
  const body = Buffer.from(JSON.stringify({ v: 1, codes: bindings.slice(0, MAX_BOUND_CODES) })).toString("base64url");
  return `${body}.${sign(body, key).toString("base64url")}`;
}

/** The bindings a cookie vouches for, newest first; a forged, tampered or stale cookie vouches for none. */
export function decodeBindings(value: string | undefined, key: Buffer, now = Date.now()): QrCodeBinding[] {
  if (!value || value.length > 4096) return [];
  const [body, signature, ...rest] = value.split(".");
  if (!body || !signature || rest.length > 0) return [];
  const expected = sign(body, key);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return [];
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return [];
  }
  const parsed = payloadSchema.safeParse(json);
  return parsed.success ? parsed.data.codes.filter((binding) => isKept(binding, now)) : [];
}

/** Adds a new code in front, dropping stale ones and keeping at most MAX_BOUND_CODES. */
export function addBinding(bindings: QrCodeBinding[], binding: QrCodeBinding, now = Date.now()): QrCodeBinding[] {
  return [binding, ...bindings.filter((other) => other.qrcodeId !== binding.qrcodeId)]
    .filter((other) => isKept(other, now))
    .slice(0, MAX_BOUND_CODES);
}

export function removeBinding(bindings: QrCodeBinding[], qrcodeId: string): QrCodeBinding[] {
  return bindings.filter((binding) => binding.qrcodeId !== qrcodeId);
}

export function findBinding(bindings: QrCodeBinding[], qrcodeId: string): QrCodeBinding | undefined {
  return bindings.find((binding) => binding.qrcodeId === qrcodeId);
}

/** The newest code still worth showing (not yet expired). */
export function newestLiveBinding(bindings: QrCodeBinding[], now = Date.now()): QrCodeBinding | undefined {
  return bindings.find((binding) => binding.expiresAt > now);
}

export function bindingCookieOptions(secure: boolean, qrCodeTtlSeconds: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure,
    path: "/",
    maxAge: qrCodeTtlSeconds + BINDING_GRACE_MS / 1000,
  };
}
