import "server-only";

import { clientStateScripts } from "@/lib/qr-login/platform/redis-client-state";
import { defineScript, type CommandParser } from "@/lib/qr-login/platform/redis-connection";

import { fieldsOf } from "./redis-codecs";
import type { Millis } from "./types";

const pushAll = (parser: CommandParser, keys: string[], args: string[]) => {
  for (const key of keys) parser.pushKey(key);
  parser.push(...args);
};

// Every state change below is one script: Redis runs it atomically, in one round trip, and each
// reads only the keys it is given, all under one hash tag, so it also runs on Redis Cluster.
// Numbers travel as the strings the app sent (Lua would print large ones in exponent notation).
// Publishing from inside the script makes the announcement part of the transition.
const PUBLISH = "redis.call('PUBLISH', ARGV[1], cjson.encode({id = code[1], status = ARGV[2]}))";

export const scripts = {
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
  // KEYS: the passkey, its user's list (a sorted set by creation). ARGV: id, createdAt, fields...
  insertPasskey: defineScript({
    NUMBER_OF_KEYS: 2,
    SCRIPT: `
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('HSET', KEYS[1], unpack(ARGV, 3))
      redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
      return 1`,
    parseCommand: (parser: CommandParser, keys: [string, string], args: string[]) => pushAll(parser, keys, args),
    transformReply: (reply: unknown) => reply === 1,
  }),
  // KEYS: the passkey, its user's list. ARGV: id, the user it must belong to.
  deletePasskey: defineScript({
    NUMBER_OF_KEYS: 2,
    SCRIPT: `
      if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[2] then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      return 1`,
    parseCommand: (parser: CommandParser, keys: [string, string], args: [string, string]) => pushAll(parser, keys, args),
    transformReply: (reply: unknown) => reply === 1,
  }),
  // KEYS: the passkey. ARGV: userId, counter, now. The counter only moves forward (or stays 0).
  usePasskey: defineScript({
    NUMBER_OF_KEYS: 1,
    SCRIPT: `
      local passkey = redis.call('HMGET', KEYS[1], 'userId', 'counter')
      if passkey[1] ~= ARGV[1] then return nil end
      local stored, presented = tonumber(passkey[2]), tonumber(ARGV[2])
      if not (presented > stored or (presented == 0 and stored == 0)) then return nil end
      redis.call('HSET', KEYS[1], 'counter', ARGV[2], 'lastUsedAt', ARGV[3])
      return redis.call('HGETALL', KEYS[1])`,
    parseCommand: (parser: CommandParser, key: string, args: [string, string, string]) => pushAll(parser, [key], args),
    transformReply: fieldsOf,
  }),
  ...clientStateScripts,
};
