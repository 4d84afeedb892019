import "server-only";

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

import { rateLimitResult, rateLimitWindow, type RateLimitResult } from "@/lib/qr-login/platform/rate-limit";

import { QrCodeWatchers } from "./qr-code-watchers";
import type {
  Millis,
  NewQrCode,
  PasskeyChallengeRecord,
  PasskeyRecord,
  QrCodeChange,
  QrCodeRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  Store,
  StoredQrCodeStatus,
  UserRecord,
} from "./types";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS signing_keys (
  slot TEXT PRIMARY KEY,
  kid TEXT NOT NULL,
  alg TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retire_at INTEGER
);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT COLLATE NOCASE UNIQUE,
  email TEXT COLLATE NOCASE UNIQUE,
  password_hash TEXT NOT NULL,
  nickname TEXT,
  photo TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS qr_codes (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  status TEXT NOT NULL,
  content TEXT NOT NULL,
  custom_data TEXT,
  context TEXT,
  poll_secret_hash TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  scanned_by TEXT,
  scanned_at INTEGER,
  decided_at INTEGER,
  ticket TEXT UNIQUE,
  ticket_expires_at INTEGER,
  redeemed_at INTEGER
);
CREATE INDEX IF NOT EXISTS qr_codes_expires_at ON qr_codes (expires_at);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  app_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  family_expires_at INTEGER,
  rotated_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family_id);
CREATE TABLE IF NOT EXISTS revoked_access_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS revoked_sessions (
  sid TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS passkeys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL,
  transports TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX IF NOT EXISTS passkeys_user ON passkeys (user_id);
CREATE TABLE IF NOT EXISTS passkey_challenges (
  challenge TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  user_id TEXT,
  qrcode_id TEXT,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_limits (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  window_ms INTEGER NOT NULL,
  count INTEGER NOT NULL
);
`;

type QrCodeRow = {
  id: string;
  app_id: string;
  status: StoredQrCodeStatus;
  content: string;
  custom_data: string | null;
  context: string | null;
  poll_secret_hash: string | null;
  created_at: number;
  expires_at: number;
  scanned_by: string | null;
  scanned_at: number | null;
  decided_at: number | null;
  ticket: string | null;
  ticket_expires_at: number | null;
  redeemed_at: number | null;
};

type UserRow = {
  id: string;
  username: string | null;
  email: string | null;
  password_hash: string;
  nickname: string | null;
  photo: string | null;
  created_at: number;
  updated_at: number;
};

type RefreshTokenRow = {
  token_hash: string;
  family_id: string;
  user_id: string;
  app_id: string;
  scope: string;
  created_at: number;
  expires_at: number;
  family_expires_at: number | null;
  rotated_at: number | null;
  revoked_at: number | null;
};

type PasskeyRow = {
  id: string;
  user_id: string;
  public_key: string;
  counter: number;
  transports: string;
  created_at: number;
  last_used_at: number | null;
};

type PasskeyChallengeRow = { challenge: string; purpose: PasskeyChallengeRecord["purpose"]; user_id: string | null; qrcode_id: string | null; expires_at: number };

type SigningKeyRow = { kid: string; alg: "RS256"; private_jwk: string; public_jwk: string; created_at: number; retire_at: number | null };

const parseJson = (text: string | null) => (text === null ? null : (JSON.parse(text) as Record<string, unknown>));

const toQrCode = (row: QrCodeRow): QrCodeRecord => ({
  id: row.id,
  appId: row.app_id,
  status: row.status,
  content: row.content,
  customData: parseJson(row.custom_data),
  context: parseJson(row.context),
  pollSecretHash: row.poll_secret_hash,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  scannedBy: row.scanned_by,
  scannedAt: row.scanned_at,
  decidedAt: row.decided_at,
  ticket: row.ticket,
  ticketExpiresAt: row.ticket_expires_at,
  redeemedAt: row.redeemed_at,
});

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  email: row.email,
  passwordHash: row.password_hash,
  nickname: row.nickname,
  photo: row.photo,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRefreshToken = (row: RefreshTokenRow): RefreshTokenRecord => ({
  tokenHash: row.token_hash,
  familyId: row.family_id,
  userId: row.user_id,
  appId: row.app_id,
  scope: row.scope,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  // A token from before families had an end: its family ends with it.
  familyExpiresAt: row.family_expires_at ?? row.expires_at,
  rotatedAt: row.rotated_at,
  revokedAt: row.revoked_at,
});

const toPasskey = (row: PasskeyRow): PasskeyRecord => ({
  id: row.id,
  userId: row.user_id,
  publicKey: row.public_key,
  counter: row.counter,
  transports: JSON.parse(row.transports) as string[],
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

const toSigningKey = (row: SigningKeyRow): SigningKeyRecord => ({
  kid: row.kid,
  alg: row.alg,
  privateJwk: row.private_jwk,
  publicJwk: row.public_jwk,
  createdAt: row.created_at,
  retireAt: row.retire_at,
});

const SWEEP_INTERVAL_MS = 60_000;
/** Finished codes stay readable for a while so a late poll sees EXPIRED/CANCELLED, not "unknown". */
const QR_CODE_RETENTION_MS = 60 * 60_000;

/**
 * The store in one SQLite file (WAL), safe for several processes sharing it: every state change
 * is a single UPDATE ... WHERE <expected state> RETURNING, which SQLite runs atomically.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private lastSweep = 0;
  /** Waiters by code id. SQLite has no notifications: only this process's own transitions wake them. */
  private readonly watchers = new QrCodeWatchers();

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    // busy_timeout first: switching to WAL and creating tables take locks another process may hold.
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("journal_mode = WAL");
    // NORMAL for what a power loss may take back harmlessly (a code made or scanned, a rate-limit
    // count); the writes that matter are FULL (see durable()).
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
    this.migrate();
    this.sweepNow(Date.now());
  }

  /** Files made by an earlier version lack later columns; SQLite adds a nullable column in place. */
  private migrate(): void {
    this.addColumn("qr_codes", "poll_secret_hash", "TEXT");
    this.addColumn("refresh_tokens", "family_expires_at", "INTEGER");
    this.addColumn("signing_keys", "retire_at", "INTEGER");
  }

  private addColumn(table: string, column: string, type: string): void {
    const columns = new Set((this.db.pragma(`table_info(${table})`) as { name: string }[]).map((each) => each.name));
    if (columns.has(column)) return;
    try {
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    } catch (error) {
      // Another process sharing the file added it first.
      if (!String(error).includes("duplicate column")) throw error;
    }
  }

  /** What the writes that matter run under; the starter's benchmark compares it with NORMAL. */
  private durableSynchronous: "FULL" | "NORMAL" = "FULL";

  /**
   * Runs a write that must survive a power loss once it is answered (a confirmation, a redeemed
   * ticket, a rotated or revoked token, a user, a key) with synchronous=FULL: its commit syncs the
   * WAL to disk, and with it every commit before it. NORMAL in WAL mode can lose the last commits:
   * a redeemed ticket could come back. Costs one fsync (a few ms).
   */
  private durable<T>(write: () => T): T {
    this.db.pragma(`synchronous = ${this.durableSynchronous}`);
    try {
      return write();
    } finally {
      this.db.pragma("synchronous = NORMAL");
    }
  }

  /** Each SQL text is compiled once: every status poll runs the same few statements. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private maybeSweep(now: Millis): void {
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) this.sweepNow(now);
  }

  private sweepNow(now: Millis): void {
    this.lastSweep = now;
    const sweep = this.db.transaction(() => {
      this.statement("DELETE FROM qr_codes WHERE MAX(expires_at, COALESCE(ticket_expires_at, 0)) < ?")
        .run(now - QR_CODE_RETENTION_MS);
      this.statement("DELETE FROM refresh_tokens WHERE expires_at < ?").run(now);
      this.statement("DELETE FROM revoked_access_tokens WHERE expires_at < ?").run(now);
      this.statement("DELETE FROM rate_limits WHERE window_start + window_ms < ?").run(now);
      this.statement("DELETE FROM revoked_sessions WHERE expires_at < ?").run(now);
      this.statement("DELETE FROM passkey_challenges WHERE expires_at < ?").run(now);
      this.statement("DELETE FROM signing_keys WHERE slot <> 'current' AND retire_at <= ?").run(now);
    });
    sweep();
  }

  // The signing key sits in slot 'current'; a rotated-out one in slot 'retiring:<kid>' until it retires.
  async getSigningKey(): Promise<SigningKeyRecord | undefined> {
    const row = this.statement("SELECT * FROM signing_keys WHERE slot = 'current'").get() as SigningKeyRow | undefined;
    return row && toSigningKey(row);
  }

  async getSigningKeys(): Promise<SigningKeyRecord[]> {
    const rows = this.statement("SELECT * FROM signing_keys ORDER BY slot = 'current' DESC, created_at DESC").all() as SigningKeyRow[];
    return rows.map(toSigningKey);
  }

  async saveSigningKeyIfAbsent(candidate: SigningKeyRecord): Promise<SigningKeyRecord> {
    this.durable(() =>
      this.statement(
          `INSERT INTO signing_keys (slot, kid, alg, private_jwk, public_jwk, created_at)
           VALUES ('current', ?, ?, ?, ?, ?) ON CONFLICT (slot) DO NOTHING`,
        )
        .run(candidate.kid, candidate.alg, candidate.privateJwk, candidate.publicJwk, candidate.createdAt),
    );
    return (await this.getSigningKey())!;
  }

  async rotateSigningKey({ currentKid, next, retireAt, now }: { currentKid: string; next: SigningKeyRecord; retireAt: Millis; now: Millis }) {
    const rotate = this.db.transaction(() => {
      const retired = this.statement(
          "UPDATE signing_keys SET slot = 'retiring:' || kid, retire_at = ? WHERE slot = 'current' AND kid = ?",
        )
        .run(retireAt, currentKid);
      if (retired.changes !== 1) return;
      this.statement(
          `INSERT INTO signing_keys (slot, kid, alg, private_jwk, public_jwk, created_at)
           VALUES ('current', ?, ?, ?, ?, ?)`,
        )
        .run(next.kid, next.alg, next.privateJwk, next.publicJwk, next.createdAt);
      this.statement("DELETE FROM signing_keys WHERE slot <> 'current' AND retire_at <= ?").run(now);
    });
    this.durable(() => rotate.immediate());
    return (await this.getSigningKey())!;
  }

  async insertUser(user: UserRecord): Promise<boolean> {
    const result = this.durable(() =>
      this.statement(
          `INSERT INTO users (id, username, email, password_hash, nickname, photo, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(user.id, user.username, user.email, user.passwordHash, user.nickname, user.photo, user.createdAt, user.updatedAt),
    );
    return result.changes === 1;
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const row = this.statement("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  async findUserByLogin(login: string): Promise<UserRecord | undefined> {
    const row = this.statement("SELECT * FROM users WHERE username = @login OR email = @login ORDER BY username = @login DESC LIMIT 1")
      .get({ login }) as UserRow | undefined;
    return row && toUser(row);
  }

  async insertQrCode(code: NewQrCode): Promise<QrCodeRecord> {
    this.maybeSweep(code.createdAt);
    const row = this.statement(
        `INSERT INTO qr_codes (id, app_id, status, content, custom_data, context, poll_secret_hash, created_at, expires_at)
         VALUES (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        code.id,
        code.appId,
        code.content,
        code.customData === null ? null : JSON.stringify(code.customData),
        code.context === null ? null : JSON.stringify(code.context),
        code.pollSecretHash,
        code.createdAt,
        code.expiresAt,
      ) as QrCodeRow;
    return toQrCode(row);
  }

  async watchQrCode(id: string, onChange: (change: QrCodeChange) => void): Promise<() => void> {
    return this.watchers.add(id, onChange);
  }

  /** How many waiters this process holds, for tests that prove a wait leaves nothing behind. */
  watcherCount(): number {
    return this.watchers.count();
  }

  private announce(row: QrCodeRow | undefined): QrCodeRecord | undefined {
    if (!row) return undefined;
    const code = toQrCode(row);
    this.watchers.notify({ id: code.id, status: code.status });
    return code;
  }

  async findQrCode(id: string): Promise<QrCodeRecord | undefined> {
    const row = this.statement("SELECT * FROM qr_codes WHERE id = ?").get(id) as QrCodeRow | undefined;
    return row && toQrCode(row);
  }

  async scanQrCode({ id, userId, now }: { id: string; userId: string; now: Millis }) {
    const row = this.statement(
        `UPDATE qr_codes SET status = 'SCANNED', scanned_by = ?, scanned_at = ?
         WHERE id = ? AND status = 'PENDING' AND expires_at > ? RETURNING *`,
      )
      .get(userId, now, id, now) as QrCodeRow | undefined;
    return this.announce(row);
  }

  async confirmQrCode(input: { id: string; userId: string; now: Millis; ticket: string; ticketExpiresAt: Millis }) {
    const row = this.durable(() =>
      this.statement(
          `UPDATE qr_codes SET status = 'AUTHORIZED', decided_at = ?, ticket = ?, ticket_expires_at = ?
           WHERE id = ? AND status = 'SCANNED' AND scanned_by = ? AND expires_at > ? RETURNING *`,
        )
        .get(input.now, input.ticket, input.ticketExpiresAt, input.id, input.userId, input.now),
    ) as QrCodeRow | undefined;
    return this.announce(row);
  }

  async cancelQrCode({ id, userId, now }: { id: string; userId: string; now: Millis }) {
    const row = this.durable(() =>
      this.statement(
          `UPDATE qr_codes SET status = 'CANCELLED', decided_at = ?
           WHERE id = ? AND status = 'SCANNED' AND scanned_by = ? AND expires_at > ? RETURNING *`,
        )
        .get(now, id, userId, now),
    ) as QrCodeRow | undefined;
    return this.announce(row);
  }

  async redeemTicket({ ticket, appId, now }: { ticket: string; appId: string; now: Millis }) {
    const row = this.durable(() =>
      this.statement(
          `UPDATE qr_codes SET redeemed_at = ?
           WHERE ticket = ? AND app_id = ? AND status = 'AUTHORIZED' AND redeemed_at IS NULL AND ticket_expires_at > ?
           RETURNING *`,
        )
        .get(now, ticket, appId, now),
    ) as QrCodeRow | undefined;
    return row && toQrCode(row);
  }

  async insertPasskey(passkey: PasskeyRecord): Promise<boolean> {
    const result = this.durable(() =>
      this.statement(
        `INSERT INTO passkeys (id, user_id, public_key, counter, transports, created_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(passkey.id, passkey.userId, passkey.publicKey, passkey.counter, JSON.stringify(passkey.transports), passkey.createdAt, passkey.lastUsedAt),
    );
    return result.changes === 1;
  }

  async findPasskey(id: string): Promise<PasskeyRecord | undefined> {
    const row = this.statement("SELECT * FROM passkeys WHERE id = ?").get(id) as PasskeyRow | undefined;
    return row && toPasskey(row);
  }

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    return (this.statement("SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, id").all(userId) as PasskeyRow[]).map(toPasskey);
  }

  async deletePasskey({ id, userId }: { id: string; userId: string }): Promise<boolean> {
    // A passkey removed must stay removed: a power loss must not bring back a lost phone's key.
    return this.durable(() => this.statement("DELETE FROM passkeys WHERE id = ? AND user_id = ?").run(id, userId)).changes === 1;
  }

  async usePasskey({ id, userId, counter, now }: { id: string; userId: string; counter: number; now: Millis }) {
    const row = this.durable(() =>
      this.statement(
        `UPDATE passkeys SET counter = @counter, last_used_at = @now
         WHERE id = @id AND user_id = @userId AND (@counter > counter OR (@counter = 0 AND counter = 0))
         RETURNING *`,
      ).get({ id, userId, counter, now }),
    ) as PasskeyRow | undefined;
    return row && toPasskey(row);
  }

  async saveChallenge(challenge: PasskeyChallengeRecord): Promise<void> {
    this.maybeSweep(Date.now());
    this.statement("INSERT INTO passkey_challenges (challenge, purpose, user_id, qrcode_id, expires_at) VALUES (?, ?, ?, ?, ?)")
      .run(challenge.challenge, challenge.purpose, challenge.userId, challenge.qrcodeId, challenge.expiresAt);
  }

  async takeChallenge({ challenge, now }: { challenge: string; now: Millis }): Promise<PasskeyChallengeRecord | undefined> {
    // Durable: a challenge used must not come back after a power loss to be used again.
    const row = this.durable(() =>
      this.statement("DELETE FROM passkey_challenges WHERE challenge = ? RETURNING *").get(challenge),
    ) as PasskeyChallengeRow | undefined;
    if (!row || row.expires_at <= now) return undefined;
    return { challenge: row.challenge, purpose: row.purpose, userId: row.user_id, qrcodeId: row.qrcode_id, expiresAt: row.expires_at };
  }

  async insertRefreshToken(token: Omit<RefreshTokenRecord, "rotatedAt" | "revokedAt">): Promise<void> {
    this.maybeSweep(token.createdAt);
    // A token added to a revoked family is born revoked, as in the Redis store.
    this.durable(() =>
      this.statement(
          `INSERT INTO refresh_tokens (token_hash, family_id, user_id, app_id, scope, created_at, expires_at, family_expires_at, revoked_at)
           VALUES (@tokenHash, @familyId, @userId, @appId, @scope, @createdAt, @expiresAt, @familyExpiresAt,
                   (SELECT MIN(revoked_at) FROM refresh_tokens WHERE family_id = @familyId))`,
        )
        .run({
          tokenHash: token.tokenHash,
          familyId: token.familyId,
          userId: token.userId,
          appId: token.appId,
          scope: token.scope,
          createdAt: token.createdAt,
          expiresAt: token.expiresAt,
          familyExpiresAt: token.familyExpiresAt,
        }),
    );
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = this.statement("SELECT * FROM refresh_tokens WHERE token_hash = ?").get(tokenHash) as
      | RefreshTokenRow
      | undefined;
    return row && toRefreshToken(row);
  }

  async consumeRefreshToken({ tokenHash, appId, now, reuseIntervalMs = 0 }: { tokenHash: string; appId: string; now: Millis; reuseIntervalMs?: number }) {
    // The NOT EXISTS closes a race: a token inserted into a family while it was being revoked.
    const row = this.durable(() =>
      this.statement(
        `UPDATE refresh_tokens SET rotated_at = COALESCE(rotated_at, @now)
         WHERE token_hash = @tokenHash AND app_id = @appId AND revoked_at IS NULL AND expires_at > @now
           AND (rotated_at IS NULL OR (@reuseIntervalMs > 0 AND @now - rotated_at < @reuseIntervalMs))
           AND NOT EXISTS (SELECT 1 FROM refresh_tokens AS f
                           WHERE f.family_id = refresh_tokens.family_id AND f.revoked_at IS NOT NULL)
         RETURNING *`,
      )
      .get({ now, tokenHash, appId, reuseIntervalMs }),
    ) as RefreshTokenRow | undefined;
    return row && toRefreshToken(row);
  }

  async revokeRefreshTokenFamily({ familyId, now }: { familyId: string; now: Millis }): Promise<void> {
    this.durable(() => this.statement("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL").run(now, familyId));
  }

  async revokeAccessToken({ jti, expiresAt }: { jti: string; expiresAt: Millis }): Promise<void> {
    this.durable(() => this.statement("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING").run(jti, expiresAt));
  }

  async isAccessTokenRevoked(jti: string): Promise<boolean> {
    return this.statement("SELECT 1 FROM revoked_access_tokens WHERE jti = ?").get(jti) !== undefined;
  }

  async consumeRateLimit(key: string, limit: number, windowSeconds: number, now: Millis = Date.now()): Promise<RateLimitResult> {
    this.maybeSweep(now);
    const windowMs = windowSeconds * 1000;
    const { start: windowStart, resetAt } = rateLimitWindow(windowSeconds, now);
    const row = this.statement(
        `INSERT INTO rate_limits (key, window_start, window_ms, count) VALUES (@key, @windowStart, @windowMs, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN window_start = excluded.window_start THEN count + 1 ELSE 1 END,
           window_start = excluded.window_start,
           window_ms = excluded.window_ms
         RETURNING count`,
      )
      .get({ key, windowStart, windowMs }) as { count: number };
    return rateLimitResult(row.count, limit, resetAt);
  }

  async peekRateLimit(key: string, windowSeconds: number, now: Millis = Date.now()): Promise<number> {
    const row = this.statement("SELECT count FROM rate_limits WHERE key = ? AND window_start = ?").get(key, rateLimitWindow(windowSeconds, now).start) as
      | { count: number }
      | undefined;
    return row?.count ?? 0;
  }

  async releaseRateLimit(key: string, windowSeconds: number, now: Millis = Date.now()): Promise<void> {
    this.statement("UPDATE rate_limits SET count = count - 1 WHERE key = ? AND window_start = ? AND count > 0").run(key, rateLimitWindow(windowSeconds, now).start);
  }

  async sweepExpired(now: Millis): Promise<void> {
    this.sweepNow(now);
  }

  async ping(): Promise<void> {
    this.db.prepare("SELECT 1").get();
  }

  /** SQLite evicts nothing: a row goes only when the sweep finds it expired. */
  async checkEviction(): Promise<void> {}

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async revokeSession({ sid, expiresAt }: { sid: string; expiresAt: Millis }): Promise<void> {
    // A sign-out that a power loss took back would let a copy of the cookie in again.
    this.durable(() =>
      this.statement(
        `INSERT INTO revoked_sessions (sid, expires_at) VALUES (?, ?)
         ON CONFLICT (sid) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)`,
      ).run(sid, expiresAt),
    );
  }

  async isSessionRevoked(sid: string): Promise<boolean> {
    return this.statement("SELECT 1 FROM revoked_sessions WHERE sid = ? AND expires_at > ?").get(sid, Date.now()) !== undefined;
  }
}
