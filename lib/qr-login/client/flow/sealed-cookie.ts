import "server-only";

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const keys = new Map<string, Buffer>();

/** A key for one cookie's purpose, derived from the NextAuth secret so no new secret is needed. */
export function sealingKey(secret: string, purpose: string): Buffer {
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "qr-login", purpose, 32));
    keys.set(cacheKey, key);
  }
  return key;
}

/**
 * A cookie's value sealed with AES-256-GCM, so that not even the browser holding it can read
 * or change it; `purpose` is bound in as associated data, so one cookie cannot pass for another.
 */
export function seal(plaintext: string, key: Buffer, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(purpose));
  const sealed = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${sealed.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
}

/** The plaintext, or undefined for anything this key did not seal (forged, tampered, garbage). */
export function open(value: string, key: Buffer, purpose: string): string | undefined {
  const [body, tag, ...rest] = value.split(".");
  if (!body || !tag || rest.length > 0) return undefined;
  const sealed = Buffer.from(body, "base64url");
  const authTag = Buffer.from(tag, "base64url");
  if (sealed.length < 13 || authTag.length !== 16) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12)).setAAD(Buffer.from(purpose)).setAuthTag(authTag);
    return Buffer.concat([decipher.update(sealed.subarray(12)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** The JSON a sealed cookie holds, or undefined for a forged, tampered or oversized one. */
export function openJson(value: string | undefined, key: Buffer, purpose: string): unknown {
  if (!value || value.length > 4096) return undefined;
  const plaintext = open(value, key, purpose);
  if (plaintext === undefined) return undefined;
  try {
    return JSON.parse(plaintext) as unknown;
  } catch {
    return undefined;
  }
}
