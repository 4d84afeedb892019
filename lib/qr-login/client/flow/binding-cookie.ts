import "server-only";

import { z } from "zod";

import { qrCodeIdSchema } from "@/lib/qr-login/client/authing/schemas";
import { openJson, seal, sealingKey } from "@/lib/qr-login/client/flow/sealed-cookie";

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

const PURPOSE = "qr-login binding cookie v2";

/** A key for this one purpose, derived from the NextAuth secret so no new secret is needed. */
export function bindingKey(secret: string): Buffer {
  return sealingKey(secret, PURPOSE);
}

function isKept(binding: QrCodeBinding, now: number): boolean {
  return binding.expiresAt + BINDING_GRACE_MS > now;
}

export function encodeBindings(bindings: QrCodeBinding[], key: Buffer): string {
  return seal(JSON.stringify({ v: 2, codes: bindings.slice(0, MAX_BOUND_CODES) }), key, PURPOSE);
}

/** The bindings a cookie vouches for, newest first; a forged, tampered or stale cookie vouches for none. */
export function decodeBindings(value: string | undefined, key: Buffer, now = Date.now()): QrCodeBinding[] {
  const parsed = payloadSchema.safeParse(openJson(value, key, PURPOSE));
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
