import "server-only";

import { createClient, defineScript, type CommandParser } from "redis";

import { clientStateScripts, rateLimitWindow, ttlUntil } from "@/lib/qr-login/redis-client-state";
import { COMMAND_TIMEOUT_MS, RedisLink } from "@/lib/qr-login/redis-link";

import { QrCodeWatchers } from "./qr-code-watchers";
import type {
  Millis,
  NewQrCode,
  QrCodeChange,
  QrCodeRecord,
  RateLimitResult,
  RefreshTokenRecord,
  SigningKeyRecord,
  Store,
  StoredQrCodeStatus,
  UserRecord,
} from "./types";

/** Finished codes stay readable for an hour so a late poll sees EXPIRED/CANCELLED, not "unknown". */
const QR_CODE_RETENTION_MS = 60 * 60_000;

type Fields = Record<string, string>;

/** A script's reply from HGETALL (a flat field, value list), or nil when the compare-and-set failed. */
function fieldsOf(reply: unknown): Fields | undefined {
  if (!Array.isArray(reply)) return undefined;
  const fields: Fields = {};
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  return fields;
}

const pushAll = (parser: CommandParser, keys: string[], args: string[]) => {
  for (const key of keys) parser.pushKey(key);
  parser.push(...args);
};

/** Fields for HSET: null values are left out (a missing field reads back as null). */
function fieldList(record: Record<string, string | number | null>): string[] {
  const list: string[] = [];
  for (const [field, value] of Object.entries(record)) if (value !== null) list.push(field, String(value));
  return list;
}

const text = (fields: Fields, field: string) => fields[field] ?? null;
const millis = (fields: Fields, field: string) => (fields[field] === undefined ? null : Number(fields[field]));
const json = (fields: Fields, field: string) =>
  fields[field] === undefined ? null : (JSON.parse(fields[field]) as Record<string, unknown>);

const toQrCode = (fields: Fields): QrCodeRecord => ({
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

const toUser = (fields: Fields): UserRecord => ({
  id: fields.id!,
  username: text(fields, "username"),
  email: text(fields, "email"),
  passwordHash: fields.passwordHash!,
  nickname: text(fields, "nickname"),
  photo: text(fields, "photo"),
  createdAt: Number(fields.createdAt),
  updatedAt: Number(fields.updatedAt),
});

const toRefreshToken = (fields: Fields, familyRevokedAt: Millis | null = null): RefreshTokenRecord => ({
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

const signingKeyOf = (stored: string): SigningKeyRecord => {
  const record = JSON.parse(stored) as SigningKeyRecord;
  return { ...record, retireAt: record.retireAt ?? null };
};

/** Case-insensitive like SQLite's NOCASE (ASCII only), so both stores treat the same names as equal. */
const fold = (value: string) => value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

const STORED_STATUSES = new Set<string>(["PENDING", "SCANNED", "AUTHORIZED", "CANCELLED"]);

// Every state change below is one script: Redis runs it atomically, in one round trip, and each
// reads only the keys it is given, all under one hash tag, so it also runs on Redis Cluster.
// Numbers travel as the strings the app sent (Lua would print large ones in exponent notation).
// Publishing from inside the script makes the announcement part of the transition.
const PUBLISH = "redis.call('PUBLISH', ARGV[1], cjson.encode({id = code[1], status = ARGV[2]}))";

const scripts = {
  insertQrCode: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('ERR QR code id already exists') end
      redis.call('HSET', KEYS[1], unpack(ARGV, 2))
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      return 1`,
    parseCommand: (parser: CommandParser, key: string, ttlMs: number, fields: string[]) =>
      pushAll(parser, [key], [String(ttlMs), ...fields]),
    transformReply: () => undefined,
  }),
  // ARGV: channel, new status, userId, now
  scanQrCode: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      local code = redis.call('HMGET', KEYS[1], 'id', 'status', 'expiresAt')
      if code[2] ~= 'PENDING' or (tonumber(code[3]) or 0) <= tonumber(ARGV[4]) then return false end
      redis.call('HSET', KEYS[1], 'status', ARGV[2], 'scannedBy', ARGV[3], 'scannedAt', ARGV[4])
      ${PUBLISH}
      return redis.call('HGETALL', KEYS[1])`,
    parseCommand: (parser: CommandParser, key: string, channel: string, userId: string, now: Millis) =>
      pushAll(parser, [key], [channel, "SCANNED", userId, String(now)]),
    transformReply: fieldsOf,
  }),
  // ARGV: channel, new status, userId, now, then for AUTHORIZED: ticket, ticketExpiresAt, the TTL
  // that keeps the code until an hour past the ticket's expiry.
  decideQrCode: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      local code = redis.call('HMGET', KEYS[1], 'id', 'status', 'scannedBy', 'expiresAt')
      if code[2] ~= 'SCANNED' or code[3] ~= ARGV[3] or (tonumber(code[4]) or 0) <= tonumber(ARGV[4]) then
        return false
      end
      redis.call('HSET', KEYS[1], 'status', ARGV[2], 'decidedAt', ARGV[4])
      if ARGV[2] == 'AUTHORIZED' then
        redis.call('HSET', KEYS[1], 'ticket', ARGV[5], 'ticketExpiresAt', ARGV[6])
        if tonumber(ARGV[6]) > tonumber(code[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[7]) end
      end
      ${PUBLISH}
      return redis.call('HGETALL', KEYS[1])`,
    parseCommand: (parser: CommandParser, key: string, args: string[]) => pushAll(parser, [key], args),
    transformReply: fieldsOf,
  }),
  redeemTicket: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      local code = redis.call('HMGET', KEYS[1], 'status', 'ticket', 'appId', 'redeemedAt', 'ticketExpiresAt')
      if code[1] ~= 'AUTHORIZED' or code[2] ~= ARGV[1] or code[3] ~= ARGV[2] or code[4]
        or (tonumber(code[5]) or 0) <= tonumber(ARGV[3]) then
        return false
      end
      redis.call('HSET', KEYS[1], 'redeemedAt', ARGV[3])
      return redis.call('HGETALL', KEYS[1])`,
    parseCommand: (parser: CommandParser, key: string, ticket: string, appId: string, now: Millis) =>
      pushAll(parser, [key], [ticket, appId, String(now)]),
    transformReply: fieldsOf,
  }),
  // KEYS: user, username index, email index. ARGV: has username, has email, id, fields...
  insertUser: defineScript({
    NUMBER_OF_KEYS: 3,
    SCRIPT: `
      if redis.call('EXISTS', KEYS[1]) == 1
        or (ARGV[1] == '1' and redis.call('EXISTS', KEYS[2]) == 1)
        or (ARGV[2] == '1' and redis.call('EXISTS', KEYS[3]) == 1) then
        return 0
      end
      redis.call('HSET', KEYS[1], unpack(ARGV, 4))
      if ARGV[1] == '1' then redis.call('SET', KEYS[2], ARGV[3]) end
      if ARGV[2] == '1' then redis.call('SET', KEYS[3], ARGV[3]) end
      return 1`,
    parseCommand: (parser: CommandParser, keys: [string, string, string], args: string[]) => pushAll(parser, keys, args),
    transformReply: (reply: unknown) => reply === 1,
  }),
  // KEYS: token, family. The family key lives as long as its longest-lived token and lists its
  // tokens ('token:<hash>'), so that a revocation is written onto each of them too; a token added
  // to a revoked family is born revoked. ARGV: TTL, the token's hash, fields...
  insertRefreshToken: defineScript({
    NUMBER_OF_KEYS: 2,
    SCRIPT: `
      if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('ERR refresh token already exists') end
      redis.call('HSET', KEYS[1], unpack(ARGV, 3))
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      local revokedAt = redis.call('HGET', KEYS[2], 'revokedAt')
      if revokedAt then redis.call('HSET', KEYS[1], 'revokedAt', revokedAt) end
      redis.call('HSET', KEYS[2], 'exists', '1', 'token:' .. ARGV[2], '1')
      if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
      return 1`,
    parseCommand: (parser: CommandParser, keys: [string, string], ttlMs: number, tokenHash: string, fields: string[]) =>
      pushAll(parser, keys, [String(ttlMs), tokenHash, ...fields]),
    transformReply: () => undefined,
  }),
  // Refused once the family is revoked, even for a token added after the revocation, and when
  // the family key is gone: it outlives its tokens, so only an eviction or a lost write removes
  // it, and a family whose revocation may be lost with it is refused. ARGV: appId, now, reuse
  // interval (ms): a token rotated less than that long ago is answered again.
  consumeRefreshToken: defineScript({
    NUMBER_OF_KEYS: 2,
    SCRIPT: `
      local token = redis.call('HMGET', KEYS[1], 'appId', 'rotatedAt', 'revokedAt', 'expiresAt')
      local now = tonumber(ARGV[2])
      if token[1] ~= ARGV[1] or token[3] or (tonumber(token[4]) or 0) <= now
        or redis.call('EXISTS', KEYS[2]) == 0 or redis.call('HEXISTS', KEYS[2], 'revokedAt') == 1 then
        return false
      end
      if token[2] then
        local reuse = tonumber(ARGV[3])
        if reuse <= 0 or now - tonumber(token[2]) >= reuse then return false end
      else
        redis.call('HSET', KEYS[1], 'rotatedAt', ARGV[2])
      end
      return redis.call('HGETALL', KEYS[1])`,
    parseCommand: (parser: CommandParser, keys: [string, string], appId: string, now: Millis, reuseIntervalMs: number) =>
      pushAll(parser, keys, [appId, String(now), String(reuseIntervalMs)]),
    transformReply: fieldsOf,
  }),
  // Like the SQLite UPDATE, revoking a family with no live token changes nothing. The revocation
  // is written onto the family and onto each of its tokens (their keys are the family's plus
  // ':<hash>', in the family's slot), so losing the family key does not bring a token back.
  revokeRefreshFamily: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      if redis.call('EXISTS', KEYS[1]) == 0 then return 1 end
      redis.call('HSETNX', KEYS[1], 'revokedAt', ARGV[1])
      for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
        if string.sub(field, 1, 6) == 'token:' then
          local token = KEYS[1] .. ':' .. string.sub(field, 7)
          if redis.call('EXISTS', token) == 1 then redis.call('HSETNX', token, 'revokedAt', ARGV[1]) end
        end
      end
      return 1`,
    parseCommand: (parser: CommandParser, key: string, now: Millis) => pushAll(parser, [key], [String(now)]),
    transformReply: () => undefined,
  }),
  // KEYS: the signing keys' hash (field 'current', and 'retiring:<kid>' per rotated-out key).
  // ARGV: the kid expected to sign, its record with retireAt, the next key's record, now.
  rotateSigningKey: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      local current = redis.call('HGET', KEYS[1], 'current')
      if not current or cjson.decode(current).kid ~= ARGV[1] then return current end
      redis.call('HSET', KEYS[1], 'retiring:' .. ARGV[1], ARGV[2], 'current', ARGV[3])
      local fields = redis.call('HKEYS', KEYS[1])
      for _, field in ipairs(fields) do
        if field ~= 'current' then
          local retireAt = tonumber(cjson.decode(redis.call('HGET', KEYS[1], field)).retireAt)
          if retireAt and retireAt <= tonumber(ARGV[4]) then redis.call('HDEL', KEYS[1], field) end
        end
      end
      return ARGV[3]`,
    parseCommand: (parser: CommandParser, key: string, args: [string, string, string, string]) => pushAll(parser, [key], args),
    transformReply: (reply: unknown) => (typeof reply === "string" ? reply : null),
  }),
  ...clientStateScripts,
};

function newClient(url: string, reconnectStrategy: (retries: number, cause: Error) => number | false) {
  // No offline queue: while Redis is away a command fails at once (503) rather than piling up.
  return createClient({
    url,
    scripts,
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: { reconnectStrategy, connectTimeout: COMMAND_TIMEOUT_MS },
  });
}
type StoreClient = ReturnType<typeof newClient>;

const closedError = () => new Error("RedisStore is closed");

export type RedisStoreOptions = {
  /** redis:// or rediss://, as in REDIS_URL. */
  url: string;
  /** Put before every key and the pub/sub channel, so several apps (or tests) share one server. */
  keyPrefix?: string;
};

/**
 * The store in Redis, for several instances (e.g. serverless functions) sharing one state. Every
 * state change is one Lua script (an atomic compare-and-set); data expires by TTL, so
 * sweepExpired has nothing to do. Transitions are announced on one pub/sub channel, which one
 * subscriber connection per store fans out to local watchers.
 */
export class RedisStore implements Store {
  private readonly client: StoreClient;
  private readonly prefix: string;
  private readonly link: RedisLink;
  private readonly channel: string;
  private readonly watchers = new QrCodeWatchers();
  private subscriber?: StoreClient;
  private subscribing?: Promise<void>;
  private closing?: Promise<void>;

  constructor({ url, keyPrefix = "qr-login:" }: RedisStoreOptions) {
    // A brace in the prefix would become the hash tag of every key, breaking the per-code slots.
    if (/[{}]/.test(keyPrefix)) throw new Error("RedisStore keyPrefix must not contain { or }");
    this.link = new RedisLink(url);
    this.prefix = keyPrefix;
    this.channel = `${keyPrefix}qr-changes`;
    this.client = newClient(url, this.link.reconnectStrategy);
    this.link.watch(this.client, this.allConnectionsReady);
  }

  private readonly allConnectionsReady = () => this.client.isReady && (!this.subscriber || this.subscriber.isReady);

  private ready(): Promise<StoreClient> {
    return this.link.ready(this.client);
  }

  private readonly key = {
    qrCode: (id: string) => `${this.prefix}qr:{${id}}`,
    ticket: (ticket: string) => `${this.prefix}qr-ticket:${ticket}`,
    user: (id: string) => `${this.prefix}{users}:id:${id}`,
    username: (username: string) => `${this.prefix}{users}:username:${fold(username)}`,
    email: (email: string) => `${this.prefix}{users}:email:${fold(email)}`,
    /** Before rotation: the one key, as a string. Adopted into signingKeys on first read. */
    legacySigningKey: () => `${this.prefix}signing-key`,
    signingKeys: () => `${this.prefix}signing-keys`,
    refreshToken: (familyId: string, tokenHash: string) => `${this.prefix}refresh:{${familyId}}:${tokenHash}`,
    refreshFamily: (familyId: string) => `${this.prefix}refresh:{${familyId}}`,
    refreshIndex: (tokenHash: string) => `${this.prefix}refresh-token:${tokenHash}`,
    revokedAccessToken: (jti: string) => `${this.prefix}revoked-jti:${jti}`,
    rateLimit: (key: string, windowStart: Millis) => `${this.prefix}rate:${key}:${windowStart}`,
    revokedSession: (sid: string) => `${this.prefix}revoked-session:${sid}`,
  };

  private adoptingLegacyKey?: Promise<void>;

  /** A store written before keys could rotate keeps its key (and the tokens it signed) valid. */
  private async signingKeyClient(): Promise<StoreClient> {
    const client = await this.ready();
    this.adoptingLegacyKey ??= (async () => {
      const legacy = await client.get(this.key.legacySigningKey());
      if (legacy !== null) await client.hSetNX(this.key.signingKeys(), "current", JSON.stringify(signingKeyOf(legacy)));
    })().catch((error: unknown) => {
      this.adoptingLegacyKey = undefined;
      throw error;
    });
    await this.adoptingLegacyKey;
    return client;
  }

  async getSigningKey(): Promise<SigningKeyRecord | undefined> {
    const client = await this.signingKeyClient();
    const stored = await client.hGet(this.key.signingKeys(), "current");
    return stored == null ? undefined : signingKeyOf(stored);
  }

  async getSigningKeys(): Promise<SigningKeyRecord[]> {
    const client = await this.signingKeyClient();
    const all = await client.hGetAll(this.key.signingKeys());
    const current = all.current === undefined ? [] : [signingKeyOf(all.current)];
    const retiring = Object.entries(all)
      .filter(([field]) => field !== "current")
      .map(([, stored]) => signingKeyOf(stored))
      .sort((a, b) => b.createdAt - a.createdAt);
    return [...current, ...retiring];
  }

  async saveSigningKeyIfAbsent(candidate: SigningKeyRecord): Promise<SigningKeyRecord> {
    const client = await this.signingKeyClient();
    const saved = await client.hSetNX(this.key.signingKeys(), "current", JSON.stringify({ ...candidate, retireAt: null }));
    return saved === 1 ? { ...candidate, retireAt: null } : (await this.getSigningKey())!;
  }

  async rotateSigningKey({ currentKid, next, retireAt, now }: { currentKid: string; next: SigningKeyRecord; retireAt: Millis; now: Millis }) {
    const client = await this.signingKeyClient();
    const current = await this.getSigningKey();
    if (!current || current.kid !== currentKid) return current ?? (await this.saveSigningKeyIfAbsent(next));
    const signing = await client.rotateSigningKey(this.key.signingKeys(), [
      currentKid,
      JSON.stringify({ ...current, retireAt }),
      JSON.stringify({ ...next, retireAt: null }),
      String(now),
    ]);
    return signing === null ? (await this.getSigningKey())! : signingKeyOf(signing);
  }

  async insertUser(user: UserRecord): Promise<boolean> {
    const client = await this.ready();
    const keys: [string, string, string] = [
      this.key.user(user.id),
      this.key.username(user.username ?? ""),
      this.key.email(user.email ?? ""),
    ];
    return client.insertUser(keys, [
      user.username === null ? "0" : "1",
      user.email === null ? "0" : "1",
      user.id,
      ...fieldList(user),
    ]);
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const client = await this.ready();
    const fields = await client.hGetAll(this.key.user(id));
    return fields.id === undefined ? undefined : toUser(fields);
  }

  async findUserByLogin(login: string): Promise<UserRecord | undefined> {
    const client = await this.ready();
    const [byUsername, byEmail] = await client.mGet([this.key.username(login), this.key.email(login)]);
    const id = byUsername ?? byEmail;
    return id ? this.findUserById(id) : undefined;
  }

  async insertQrCode(code: NewQrCode): Promise<QrCodeRecord> {
    const client = await this.ready();
    const record: QrCodeRecord = {
      ...code,
      status: "PENDING",
      scannedBy: null,
      scannedAt: null,
      decidedAt: null,
      ticket: null,
      ticketExpiresAt: null,
      redeemedAt: null,
    };
    await client.insertQrCode(
      this.key.qrCode(code.id),
      ttlUntil(code.expiresAt + QR_CODE_RETENTION_MS, code.createdAt),
      fieldList({
        ...record,
        customData: code.customData === null ? null : JSON.stringify(code.customData),
        context: code.context === null ? null : JSON.stringify(code.context),
      }),
    );
    return record;
  }

  async findQrCode(id: string): Promise<QrCodeRecord | undefined> {
    const client = await this.ready();
    const fields = await client.hGetAll(this.key.qrCode(id));
    return fields.id === undefined ? undefined : toQrCode(fields);
  }

  async scanQrCode({ id, userId, now }: { id: string; userId: string; now: Millis }) {
    const client = await this.ready();
    const fields = await client.scanQrCode(this.key.qrCode(id), this.channel, userId, now);
    return fields && toQrCode(fields);
  }

  async confirmQrCode(input: { id: string; userId: string; now: Millis; ticket: string; ticketExpiresAt: Millis }) {
    const client = await this.ready();
    // The index goes in first, so the ticket resolves the moment the announcement is out; it
    // lives in another slot, so it cannot be part of the script. A failed confirm leaves one
    // pointing at a code without that ticket, which redeemTicket refuses; it is removed anyway.
    // Sent together on one connection, so Redis runs them in this order in one round trip.
    const ticketKey = this.key.ticket(input.ticket);
    const [, fields] = await Promise.all([
      client.set(ticketKey, input.id, { expiration: { type: "PX", value: ttlUntil(input.ticketExpiresAt, input.now) } }),
      client.decideQrCode(this.key.qrCode(input.id), [
        this.channel,
        "AUTHORIZED",
        input.userId,
        String(input.now),
        input.ticket,
        String(input.ticketExpiresAt),
        String(ttlUntil(input.ticketExpiresAt + QR_CODE_RETENTION_MS, input.now)),
      ]),
    ]);
    if (!fields) await client.del(ticketKey);
    return fields && toQrCode(fields);
  }

  async cancelQrCode({ id, userId, now }: { id: string; userId: string; now: Millis }) {
    const client = await this.ready();
    const fields = await client.decideQrCode(this.key.qrCode(id), [this.channel, "CANCELLED", userId, String(now)]);
    return fields && toQrCode(fields);
  }

  async redeemTicket({ ticket, appId, now }: { ticket: string; appId: string; now: Millis }) {
    const client = await this.ready();
    const id = await client.get(this.key.ticket(ticket));
    if (id === null) return undefined;
    const fields = await client.redeemTicket(this.key.qrCode(id), ticket, appId, now);
    return fields && toQrCode(fields);
  }

  /** The one subscriber connection, subscribed once; resolves when the subscription is live. */
  private subscribe(): Promise<void> {
    this.subscribing ??= (async () => {
      const client = await this.ready();
      if (this.closing) throw closedError();
      const subscriber = client.duplicate();
      this.link.watch(subscriber, this.allConnectionsReady);
      let subscribed = false;
      // node-redis resubscribes before it reports a reconnection ready; whatever was published in
      // between is lost, so every watcher is woken to re-read its code.
      subscriber.on("ready", () => {
        if (subscribed) void this.wakeAllWatchers();
      });
      this.subscriber = subscriber;
      await subscriber.connect();
      if (this.closing) throw closedError();
      await subscriber.subscribe(this.channel, (message) => this.dispatch(message));
      subscribed = true;
    })().catch((error: unknown) => {
      this.subscribing = undefined;
      const subscriber = this.subscriber;
      this.subscriber = undefined;
      if (subscriber?.isOpen) subscriber.destroy();
      throw error;
    });
    return this.subscribing;
  }

  private dispatch(message: string): void {
    let change: unknown;
    try {
      change = JSON.parse(message);
    } catch {
      return;
    }
    const { id, status } = (change ?? {}) as { id?: unknown; status?: unknown };
    if (typeof id === "string" && typeof status === "string" && STORED_STATUSES.has(status)) {
      this.watchers.notify({ id, status: status as StoredQrCodeStatus });
    }
  }

  private async wakeAllWatchers(): Promise<void> {
    await Promise.all(
      this.watchers.watchedIds().map(async (id) => {
        try {
          const code = await this.findQrCode(id);
          if (code) this.watchers.notify({ id, status: code.status });
        } catch {
          // Redis went away again: the next reconnection wakes them.
        }
      }),
    );
  }

  async watchQrCode(id: string, onChange: (change: QrCodeChange) => void): Promise<() => void> {
    await this.subscribe();
    if (this.closing) throw closedError();
    return this.watchers.add(id, onChange);
  }

  watcherCount(): number {
    return this.watchers.count();
  }

  async ping(): Promise<void> {
    await (await this.ready()).ping();
  }

  async checkEviction(): Promise<void> {
    await this.link.checkEviction(await this.ready());
  }

  async insertRefreshToken(token: Omit<RefreshTokenRecord, "rotatedAt" | "revokedAt">): Promise<void> {
    const client = await this.ready();
    const ttlMs = ttlUntil(token.expiresAt, token.createdAt);
    // The index (hash -> family) sits in another slot than the family's keys: written first, it
    // never points at nothing but a token that failed to be written, which then reads as unknown.
    await Promise.all([
      client.set(this.key.refreshIndex(token.tokenHash), token.familyId, { expiration: { type: "PX", value: ttlMs } }),
      client.insertRefreshToken(
        [this.key.refreshToken(token.familyId, token.tokenHash), this.key.refreshFamily(token.familyId)],
        ttlMs,
        token.tokenHash,
        fieldList(token),
      ),
    ]);
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const client = await this.ready();
    const familyId = await client.get(this.key.refreshIndex(tokenHash));
    if (familyId === null) return undefined;
    const [fields, familyRevokedAt] = await Promise.all([
      client.hGetAll(this.key.refreshToken(familyId, tokenHash)),
      client.hGet(this.key.refreshFamily(familyId), "revokedAt"),
    ]);
    if (fields.tokenHash === undefined) return undefined;
    return toRefreshToken(fields, familyRevokedAt == null ? null : Number(familyRevokedAt));
  }

  async consumeRefreshToken({ tokenHash, appId, now, reuseIntervalMs = 0 }: { tokenHash: string; appId: string; now: Millis; reuseIntervalMs?: number }) {
    const client = await this.ready();
    const familyId = await client.get(this.key.refreshIndex(tokenHash));
    if (familyId === null) return undefined;
    const fields = await client.consumeRefreshToken(
      [this.key.refreshToken(familyId, tokenHash), this.key.refreshFamily(familyId)],
      appId,
      now,
      reuseIntervalMs,
    );
    return fields && toRefreshToken(fields);
  }

  async revokeRefreshTokenFamily({ familyId, now }: { familyId: string; now: Millis }): Promise<void> {
    const client = await this.ready();
    await client.revokeRefreshFamily(this.key.refreshFamily(familyId), now);
  }

  async revokeAccessToken({ jti, expiresAt }: { jti: string; expiresAt: Millis }): Promise<void> {
    const ttlMs = expiresAt - Date.now();
    // An expired token is refused on its expiry alone: there is nothing to remember.
    if (ttlMs <= 0) return;
    const client = await this.ready();
    await client.set(this.key.revokedAccessToken(jti), "1", { expiration: { type: "PX", value: Math.ceil(ttlMs) } });
  }

  async isAccessTokenRevoked(jti: string): Promise<boolean> {
    const client = await this.ready();
    return (await client.exists(this.key.revokedAccessToken(jti))) === 1;
  }

  async consumeRateLimit(key: string, limit: number, windowSeconds: number, now: Millis = Date.now()): Promise<RateLimitResult> {
    const client = await this.ready();
    const window = rateLimitWindow(windowSeconds, now);
    const count = await client.consumeRateLimit(this.key.rateLimit(key, window.start), ttlUntil(window.resetAt, now));
    return { allowed: count <= limit, remaining: Math.max(0, limit - count), resetAt: window.resetAt };
  }

  async peekRateLimit(key: string, windowSeconds: number, now: Millis = Date.now()): Promise<number> {
    const client = await this.ready();
    return Number((await client.get(this.key.rateLimit(key, rateLimitWindow(windowSeconds, now).start))) ?? 0);
  }

  async releaseRateLimit(key: string, windowSeconds: number, now: Millis = Date.now()): Promise<void> {
    const client = await this.ready();
    await client.releaseRateLimit(this.key.rateLimit(key, rateLimitWindow(windowSeconds, now).start));
  }

  /** Nothing to do: every key carries its own TTL. */
  async sweepExpired(): Promise<void> {}

  /** Lets commands under way finish; a connection still being made is dropped at once. */
  close(): Promise<void> {
    this.link.closing = true;
    this.closing ??= (async () => {
      this.watchers.clear();
      await Promise.allSettled(
        [this.subscriber, this.client].map(async (client) => {
          if (client?.isReady) await client.close();
          else if (client?.isOpen) client.destroy();
        }),
      );
    })();
    return this.closing;
  }

  async revokeSession({ sid, expiresAt }: { sid: string; expiresAt: Millis }): Promise<void> {
    const now = Date.now();
    // A session past its end is refused on its expiry alone: there is nothing to remember.
    if (expiresAt <= now) return;
    const client = await this.ready();
    await client.revokeSession(this.key.revokedSession(sid), ttlUntil(expiresAt, now));
  }

  async isSessionRevoked(sid: string): Promise<boolean> {
    const client = await this.ready();
    return (await client.exists(this.key.revokedSession(sid))) === 1;
  }
}
