import "server-only";

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";

import { qrCodeIdSchema } from "@/lib/authing/schemas";

/**
 * The cookie that binds QR codes to the browser that asked for them (threat: session hijack by
 * id). It holds the newest few codes so that two tabs of one browser do not evict each other,
 * each with its poll secret, sealed (AES-256-GCM) so that not even this browser can read it.
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
  /** What the provider asks of a status request before it shows the ticket (see gene-qrcode). */
  pollSecret: z.string().max(256).optional(),
});
export type QrCodeBinding = z.infer<typeof bindingSchema>;

const payloadSchema = z.object({ v: z.literal(2), codes: z.array(bindingSchema).max(MAX_BOUND_CODES) });

const keys = new Map<string, Buffer>();

/** A key for this one purpose, derived from the NextAuth secret so no new secret is needed. */
export function bindingKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "qr-login", "qr-login binding cookie v2", 32));
    keys.set(secret, key);
  }
  return key;
}

const AAD = Buffer.from("qr-login binding cookie v2");

function seal(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(AAD);
  const sealed = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${sealed.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
}

/** The plaintext, or undefined for anything this key did not seal (forged, tampered, garbage). */
function open(value: string, key: Buffer): string | undefined {
  const [body, tag, ...rest] = value.split(".");
  if (!body || !tag || rest.length > 0) return undefined;
  const sealed = Buffer.from(body, "base64url");
  const authTag = Buffer.from(tag, "base64url");
  if (sealed.length < 13 || authTag.length !== 16) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12)).setAAD(AAD).setAuthTag(authTag);
    return Buffer.concat([decipher.update(sealed.subarray(12)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

function isKept(binding: QrCodeBinding, now: number): boolean {
  return binding.expiresAt + BINDING_GRACE_MS > now;
}

export function encodeBindings(bindings: QrCodeBinding[], key: Buffer): string {
  return seal(JSON.stringify({ v: 2, codes: bindings.slice(0, MAX_BOUND_CODES) }), key);
}

/** The bindings a cookie vouches for, newest first; a forged, tampered or stale cookie vouches for none. */
export function decodeBindings(value: string | undefined, key: Buffer, now = Date.now()): QrCodeBinding[] {
  if (!value || value.length > 4096) return [];
  const plaintext = open(value, key);
  if (plaintext === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(plaintext);
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
