import "server-only";

import { RedisClientStateOn, ttlUntil } from "@/lib/qr-login/platform/redis-client-state";
import type { RedisConnection } from "@/lib/qr-login/platform/redis-connection";
import { RedisLink } from "@/lib/qr-login/platform/redis-link";

import { QrCodeWatchers } from "./qr-code-watchers";
import { fieldList, fold, signingKeyOf, STORED_STATUSES, toPasskey, toQrCode, toRefreshToken, toUser } from "./redis-codecs";
import { scripts } from "./redis-scripts";
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

/** Finished codes stay readable for an hour so a late poll sees EXPIRED/CANCELLED, not "unknown". */
const QR_CODE_RETENTION_MS = 60 * 60_000;

type StoreClient = RedisConnection<typeof scripts>;

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
 * subscriber connection per store fans out to local watchers. Rate limits, signed-out sessions,
 * PING and the eviction check are the client state's (RedisClientStateOn), on this connection.
 */
export class RedisStore extends RedisClientStateOn implements Store {
  private readonly client: StoreClient;
  protected readonly prefix: string;
  protected readonly link: RedisLink;
  private readonly channel: string;
  private readonly watchers = new QrCodeWatchers();
  private subscriber?: RedisConnection<unknown>;
  private subscribing?: Promise<void>;
  private closing?: Promise<void>;

  constructor({ url, keyPrefix = "qr-login:" }: RedisStoreOptions) {
    // A brace in the prefix would become the hash tag of every key, breaking the per-code slots.
    if (/[{}]/.test(keyPrefix)) throw new Error("RedisStore keyPrefix must not contain { or }");
    super();
    this.link = new RedisLink(url);
    this.prefix = keyPrefix;
    this.channel = `${keyPrefix}qr-changes`;
    this.client = this.link.open(scripts);
    this.link.watch(this.client, this.allConnectionsReady);
  }

  private readonly allConnectionsReady = () => this.client.isReady && (!this.subscriber || this.subscriber.isReady);

  protected ready(): Promise<StoreClient> {
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
    // No TTL: kept as long as users are. One hash tag, so a passkey and its user's list change together.
    passkey: (id: string) => `${this.prefix}{passkeys}:id:${id}`,
    userPasskeys: (userId: string) => `${this.prefix}{passkeys}:user:${userId}`,
    challenge: (challenge: string) => `${this.prefix}passkey-challenge:${challenge}`,
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

  async insertPasskey(passkey: PasskeyRecord): Promise<boolean> {
    const client = await this.ready();
    return client.insertPasskey([this.key.passkey(passkey.id), this.key.userPasskeys(passkey.userId)], [
      passkey.id,
      String(passkey.createdAt),
      ...fieldList({ ...passkey, transports: JSON.stringify(passkey.transports) }),
    ]);
  }

  async findPasskey(id: string): Promise<PasskeyRecord | undefined> {
    const client = await this.ready();
    const fields = await client.hGetAll(this.key.passkey(id));
    return fields.id === undefined ? undefined : toPasskey(fields);
  }

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const client = await this.ready();
    const ids = await client.zRange(this.key.userPasskeys(userId), 0, -1);
    const passkeys = await Promise.all(ids.map((id) => this.findPasskey(id)));
    return passkeys.filter((passkey): passkey is PasskeyRecord => passkey !== undefined);
  }

  async deletePasskey({ id, userId }: { id: string; userId: string }): Promise<boolean> {
    const client = await this.ready();
    return client.deletePasskey([this.key.passkey(id), this.key.userPasskeys(userId)], [id, userId]);
  }

  async usePasskey({ id, userId, counter, now }: { id: string; userId: string; counter: number; now: Millis }) {
    const client = await this.ready();
    const fields = await client.usePasskey(this.key.passkey(id), [userId, String(counter), String(now)]);
    return fields && toPasskey(fields);
  }

  async saveChallenge(challenge: PasskeyChallengeRecord): Promise<void> {
    const client = await this.ready();
    await client.set(this.key.challenge(challenge.challenge), JSON.stringify(challenge), {
      expiration: { type: "PX", value: ttlUntil(challenge.expiresAt, Date.now()) },
    });
  }

  async takeChallenge({ challenge, now }: { challenge: string; now: Millis }): Promise<PasskeyChallengeRecord | undefined> {
    const client = await this.ready();
    const stored = await client.getDel(this.key.challenge(challenge));
    if (stored === null) return undefined;
    const record = JSON.parse(stored) as PasskeyChallengeRecord;
    return record.expiresAt > now ? record : undefined;
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
}
