import type { QrCodeStatus } from "@/lib/qr-login/client/authing/schemas";
import type { RateLimitResult } from "@/lib/qr-login/platform/rate-limit";

/** Times are epoch milliseconds throughout the store. */
export type Millis = number;

export type UserRecord = {
  id: string;
  username: string | null;
  email: string | null;
  /** `scrypt$N$r$p$salt$hash` (see lib/qr-login/provider/passwords.ts). */
  passwordHash: string;
  nickname: string | null;
  photo: string | null;
  createdAt: Millis;
  updatedAt: Millis;
};

/** Stored states. EXPIRED is never stored: PENDING/SCANNED past expiresAt read as EXPIRED. */
export type StoredQrCodeStatus = Extract<QrCodeStatus, "PENDING" | "SCANNED" | "AUTHORIZED" | "CANCELLED">;

export type QrCodeRecord = {
  id: string;
  appId: string;
  status: StoredQrCodeStatus;
  /** What the QR image encodes: the companion page for this code. */
  content: string;
  customData: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
  /** SHA-256 (hex) of the code's poll secret, when its creator asked for one: only it sees the ticket. */
  pollSecretHash: string | null;
  createdAt: Millis;
  expiresAt: Millis;
  scannedBy: string | null;
  scannedAt: Millis | null;
  decidedAt: Millis | null;
  ticket: string | null;
  ticketExpiresAt: Millis | null;
  redeemedAt: Millis | null;
};

export type NewQrCode = Pick<
  QrCodeRecord,
  "id" | "appId" | "content" | "customData" | "context" | "pollSecretHash" | "createdAt" | "expiresAt"
>;

export type SigningKeyRecord = {
  kid: string;
  alg: "RS256";
  privateJwk: string;
  publicJwk: string;
  createdAt: Millis;
  /** Null for the key that signs; for a rotated-out key, when the last token it signed has expired. */
  retireAt: Millis | null;
};

export type RefreshTokenRecord = {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  tokenHash: string;
  /** Every token rotated from one sign-in shares a family; reuse of a rotated one kills it. */
  familyId: string;
  userId: string;
  appId: string;
  scope: string;
  createdAt: Millis;
  /** The token's own expiry: never later than its family's. */
  expiresAt: Millis;
  /** The family's absolute end, fixed at sign-in: rotation never renews past it. */
  familyExpiresAt: Millis;
  rotatedAt: Millis | null;
  revokedAt: Millis | null;
};

/** A user's passkey (a WebAuthn credential); the private key never leaves their authenticator. */
export type PasskeyRecord = {
  /** The credential id, base64url. */
  id: string;
  userId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last seen (0 for authenticators that keep none). */
  counter: number;
  /** How the browser may reach the authenticator (usb, internal, hybrid...), as it told us. */
  transports: string[];
  createdAt: Millis;
  lastUsedAt: Millis | null;
};

/** What a challenge was issued for: each is used once, for that purpose only. */
export type PasskeyChallengePurpose = "register" | "sign-in" | "confirm";

export type PasskeyChallengeRecord = {
  /** The challenge as the client echoes it, base64url. */
  challenge: string;
  purpose: PasskeyChallengePurpose;
  /** Null for a sign-in, where nobody is signed in yet. */
  userId: string | null;
  /** For "confirm": the code it approves. */
  qrcodeId: string | null;
  expiresAt: Millis;
};

/** A transition of one code, announced by whichever process made it. */
export type QrCodeChange = { id: string; status: StoredQrCodeStatus };

/**
 * Everything the embedded provider (and the app's rate limiter) keeps. Asynchronous so that a
 * networked implementation (Redis) drops in; every state change is one atomic compare-and-set
 * that answers the changed record, or undefined when the expected state was not there.
 */
export interface Store {
  /** The key that signs now. */
  getSigningKey(): Promise<SigningKeyRecord | undefined>;
  /** The key that signs and the rotated-out keys not yet dropped (some may be past retireAt). */
  getSigningKeys(): Promise<SigningKeyRecord[]>;
  /** Saves `candidate` unless a key exists; answers the key that won (first writer wins). */
  saveSigningKeyIfAbsent(candidate: SigningKeyRecord): Promise<SigningKeyRecord>;
  /**
   * If `currentKid` still signs: it retires at `retireAt` and `next` signs from now on, and keys
   * retired by `now` are dropped, all at once. Answers the key that signs afterwards (of two
   * rotations racing, one wins and the other gets the winner's key).
   */
  rotateSigningKey(input: { currentKid: string; next: SigningKeyRecord; retireAt: Millis; now: Millis }): Promise<SigningKeyRecord>;

  /** False when the username or email is taken (case-insensitive). */
  insertUser(user: UserRecord): Promise<boolean>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  /** By username or email, case-insensitive. */
  findUserByLogin(login: string): Promise<UserRecord | undefined>;

  insertQrCode(code: NewQrCode): Promise<QrCodeRecord>;
  findQrCode(id: string): Promise<QrCodeRecord | undefined>;
  /** PENDING -> SCANNED, only before expiry. */
  scanQrCode(input: { id: string; userId: string; now: Millis }): Promise<QrCodeRecord | undefined>;
  /** SCANNED by userId -> AUTHORIZED with a ticket, only before expiry. */
  confirmQrCode(input: {
    id: string;
    userId: string;
    now: Millis;
    ticket: string;
    ticketExpiresAt: Millis;
  }): Promise<QrCodeRecord | undefined>;
  /** SCANNED by userId -> CANCELLED, only before expiry. */
  cancelQrCode(input: { id: string; userId: string; now: Millis }): Promise<QrCodeRecord | undefined>;
  /**
   * Calls `onChange` after each transition of code `id` (scan, confirm, cancel) made through any
   * store that shares this one's data: in-process for SQLite, pub/sub across instances for Redis.
   * Resolves once the subscription is live, so a caller that re-reads the code afterwards misses
   * nothing; the function it resolves to unsubscribes, at once and for good.
   */
  watchQrCode(id: string, onChange: (change: QrCodeChange) => void): Promise<() => void>;
  /** Live watchQrCode subscriptions of this process: a gauge, and the proof a wait left none behind. */
  watcherCount(): number;
  /** Marks the ticket redeemed: at most once, before it expires, for the app it was made for. */
  redeemTicket(input: { ticket: string; appId: string; now: Millis }): Promise<QrCodeRecord | undefined>;

  /** False when a passkey with this id exists. */
  insertPasskey(passkey: PasskeyRecord): Promise<boolean>;
  findPasskey(id: string): Promise<PasskeyRecord | undefined>;
  /** The user's passkeys, oldest first. */
  listPasskeys(userId: string): Promise<PasskeyRecord[]>;
  /** Removes the passkey if it is userId's; false otherwise. */
  deletePasskey(input: { id: string; userId: string }): Promise<boolean>;
  /**
   * Records a use of userId's passkey: its counter moves to `counter`, only forward (or stays 0 for
   * an authenticator that counts nothing). Undefined when the passkey is gone or the counter did
   * not move forward (a cloned authenticator or a replay).
   */
  usePasskey(input: { id: string; userId: string; counter: number; now: Millis }): Promise<PasskeyRecord | undefined>;
  saveChallenge(challenge: PasskeyChallengeRecord): Promise<void>;
  /** Answers the challenge and forgets it, at most once and only before it expires. */
  takeChallenge(input: { challenge: string; now: Millis }): Promise<PasskeyChallengeRecord | undefined>;

  insertRefreshToken(token: Omit<RefreshTokenRecord, "rotatedAt" | "revokedAt">): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Marks a live token rotated (used): unexpired, in a family nobody revoked, and at most once,
   * except that a token rotated less than `reuseIntervalMs` ago (default 0) is answered again,
   * its first rotation time kept, so that two processes refreshing it at once both succeed.
   */
  consumeRefreshToken(input: { tokenHash: string; appId: string; now: Millis; reuseIntervalMs?: number }): Promise<RefreshTokenRecord | undefined>;
  revokeRefreshTokenFamily(input: { familyId: string; now: Millis }): Promise<void>;

  revokeAccessToken(input: { jti: string; expiresAt: Millis }): Promise<void>;
  isAccessTokenRevoked(jti: string): Promise<boolean>;

  /** Fixed-window counter: one more hit on `key`; allowed while the window's count <= limit. */
  consumeRateLimit(key: string, limit: number, windowSeconds: number, now?: Millis): Promise<RateLimitResult>;
  /** The hits `key`'s current window has had (consumeRateLimit's count), adding none. */
  peekRateLimit(key: string, windowSeconds: number, now?: Millis): Promise<number>;
  /** Takes one hit back from `key`'s current window (never below none); a window that has passed is left alone. */
  releaseRateLimit(key: string, windowSeconds: number, now?: Millis): Promise<void>;

  /** Resolves when the store answers (SQLite open, Redis PING); rejects otherwise. For readiness. */
  ping(): Promise<void>;
  /**
   * Rejects (EvictionPolicyError) when the store is a Redis that may evict keys before their TTL
   * (maxmemory-policy other than noeviction). For the start and readiness.
   */
  checkEviction(): Promise<void>;

  /** Deletes rows nobody can use any more. Also runs lazily, at most once a minute. */
  sweepExpired(now: Millis): Promise<void>;
  close(): Promise<void>;

  /**
   * Ends a web session by its id (the `sid` of the app's session cookie), for every instance,
   * until `expiresAt`: when no cookie carrying it can be valid any more.
   */
  revokeSession(input: { sid: string; expiresAt: Millis }): Promise<void>;
  isSessionRevoked(sid: string): Promise<boolean>;
}
