import { afterAll, beforeAll } from "vitest";

import { startRedisServer, type RedisServer, type RedisServerOptions } from "./redis-server";

/**
 * A Redis server for the tests of the enclosing file or describe block: started before them,
 * stopped after. Its fields can be read once the tests run.
 */
export function sharedRedisServer(options: RedisServerOptions = {}): RedisServer {
  let started: RedisServer | undefined;
  beforeAll(async () => {
    started = await startRedisServer(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = () => {
    if (!started) throw new Error("the Redis server starts in beforeAll; read it inside a test");
    return started;
  };
  return {
    get url() { return current().url; },
    get port() { return current().port; },
    get dir() { return current().dir; },
    restart: () => current().restart(),
    kill: () => current().kill(),
    start: () => current().start(),
    stop: () => current().stop(),
    output: () => current().output(),
  };
}
