import * as nodeRedis from "redis";
import { describe, expect, it } from "vitest";

import { scripts } from "@/lib/qr-login/provider/store/redis-scripts";

import { defineScript, loadRedis, type RedisConnection } from "./redis-connection";

describe("what this app declares of node-redis", () => {
  it("is node-redis's own: a connection with the store's scripts is one, and a script is what node-redis's defineScript makes", () => {
    // Type-checked by tsc: a command this app calls that node-redis lacks, or types otherwise, fails here.
    const connection: RedisConnection<typeof scripts> = nodeRedis.createClient({ url: "redis://127.0.0.1:1", scripts });
    expect(connection.isOpen).toBe(false);
    const script = { NUMBER_OF_KEYS: 1, SCRIPT: "return redis.call('GET', KEYS[1])", parseCommand: () => {}, transformReply: () => undefined };
    expect(defineScript(script)).toEqual(nodeRedis.defineScript(script));
  });

  it("loads the app's node-redis, the package itself", () => {
    expect(loadRedis().createClient).toBe(nodeRedis.createClient);
  });
});
