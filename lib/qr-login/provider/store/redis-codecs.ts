import "server-only";

import type { Millis, PasskeyRecord, QrCodeRecord, RefreshTokenRecord, SigningKeyRecord, StoredQrCodeStatus, UserRecord } from "./types";

// How records travel in Redis: hashes of strings, read back into the store's records.

export type Fields = Record<string, string>;

/** A script's reply from HGETALL (a flat field, value list), or nil when the compare-and-set failed. */
export function fieldsOf(reply: unknown): Fields | undefined {
  if (!Array.isArray(reply)) return undefined;
  const fields: Fields = {};
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  return fields;
}

/** Fields for HSET: null values are left out (a missing field reads back as null). */
export function fieldList(record: Record<string, string | number | null>): string[] {
  const list: string[] = [];
  for (const [field, value] of Object.entries(record)) if (value !== null) list.push(field, String(value));
  return list;
}

export const text = (fields: Fields, field: string) => fields[field] ?? null;
export const millis = (fields: Fields, field: string) => (fields[field] === undefined ? null : Number(fields[field]));
export const json = (fields: Fields, field: string) =>
  fields[field] === undefined ? null : (JSON.parse(fields[field]) as Record<string, unknown>);

export const toQrCode = (fields: Fields): QrCodeRecord => ({
  id: fields.id!,
  appId: fields.appId!,
  status: fields.status as StoredQrCodeStatus,
  content: fields.content!,
  customData: json(fields, "customData"),
  context: json(fields, "context"),
  pollSecretHash: text(fields, "pollSecretHash"),
  createdAt: Number(fields.createdAt),
  expiresAt: Number(fields.expiresAt),
  scannedBy: text(fields, "scannedBy"),
  scannedAt: millis(fields, "scannedAt"),
  decidedAt: millis(fields, "decidedAt"),
  ticket: text(fields, "ticket"),
  ticketExpiresAt: millis(fields, "ticketExpiresAt"),
  redeemedAt: millis(fields, "redeemedAt"),
});

export const toUser = (fields: Fields): UserRecord => ({
  id: fields.id!,
  username: text(fields, "username"),
  email: text(fields, "email"),
  passwordHash: fields.passwordHash!,
  nickname: text(fields, "nickname"),
  photo: text(fields, "photo"),
  createdAt: Number(fields.createdAt),
  updatedAt: Number(fields.updatedAt),
});

export const toRefreshToken = (fields: Fields, familyRevokedAt: Millis | null = null): RefreshTokenRecord => ({
  tokenHash: fields.tokenHash!,
  familyId: fields.familyId!,
  userId: fields.userId!,
  appId: fields.appId!,
  scope: fields.scope!,
  createdAt: Number(fields.createdAt),
  expiresAt: Number(fields.expiresAt),
  // A token from before families had an end: its family ends with it.
  familyExpiresAt: millis(fields, "familyExpiresAt") ?? Number(fields.expiresAt),
  rotatedAt: millis(fields, "rotatedAt"),
  revokedAt: millis(fields, "revokedAt") ?? familyRevokedAt,
});

export const toPasskey = (fields: Fields): PasskeyRecord => ({
  id: fields.id!,
  userId: fields.userId!,
  publicKey: fields.publicKey!,
  counter: Number(fields.counter),
  transports: JSON.parse(fields.transports ?? "[]") as string[],
  createdAt: Number(fields.createdAt),
  lastUsedAt: millis(fields, "lastUsedAt"),
});

export const signingKeyOf = (stored: string): SigningKeyRecord => {
  const record = JSON.parse(stored) as SigningKeyRecord;
  return { ...record, retireAt: record.retireAt ?? null };
};

/** Case-insensitive like SQLite's NOCASE (ASCII only), so both stores treat the same names as equal. */
export const fold = (value: string) => value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

export const STORED_STATUSES = new Set<string>(["PENDING", "SCANNED", "AUTHORIZED", "CANCELLED"]);
