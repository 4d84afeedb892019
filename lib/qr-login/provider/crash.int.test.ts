import { describe, expect, it } from "vitest";

import { testApp, type AppServer } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { sharedRedisServer } from "@/test-support/shared-redis-server";

import { exchange, form, geneQrCode, qrStatus, setStatus, signin } from "../../../test-support/test-client";

const refresh = (server: AppServer, refreshToken: string) =>
  form(server, "/oidc/token", {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: testApp.id,
    client_secret: testApp.secret,
  });

/**
 * SIGKILL, not a shutdown: whatever a CONFIRM, a ticket's redemption or a refresh rotation
 * answered must already be in the store when the answer leaves, because no code runs after the
 * kill. Each crash comes right after the answers it checks.
 */
function crashTests(store: string, crash: (server: AppServer) => Promise<void>, server: AppServer) {
  it(`a crash on ${store} loses no CONFIRM, no ticket's redemption and no refresh rotation`, async () => {
    const alice = await signin(server, "alice", "client_secret_post");
    const { qrcodeId } = await geneQrCode(server);
    expect((await setStatus(server, alice.access_token, qrcodeId, "SCAN")).body.statusCode).toBe(200);
    expect((await setStatus(server, alice.access_token, qrcodeId, "CONFIRM")).body.statusCode).toBe(200);
    const rotated = await refresh(server, alice.refresh_token);
    expect(rotated.http).toBe(200);

    await crash(server);

    // The code is still authorized, and its ticket is redeemed exactly once.
    const status = await qrStatus(server, qrcodeId);
    expect(status.body.data.status).toBe("AUTHORIZED");
    const ticket = status.body.data.ticket as string;
    const attempts = await Promise.all([1, 2, 3].map(() => exchange(server, ticket, "client_secret_post")));
    expect(attempts.map((attempt) => attempt.body.statusCode).sort()).toEqual([200, 400, 400]);
    // The rotated refresh token works (and rotates again).
    const next = await refresh(server, rotated.body.refresh_token);
    expect(next.http).toBe(200);

    await crash(server);

    expect((await exchange(server, ticket, "client_secret_post")).body.statusCode).toBe(400);
    expect((await refresh(server, next.body.refresh_token)).http).toBe(200);
    // Last: a spent refresh token presented again revokes its whole family.
    expect(await refresh(server, alice.refresh_token)).toMatchObject({ http: 400, body: { error: "invalid_grant" } });
  });
}

// No reuse interval: the old refresh token is refused at once rather than after it.
const noReuseInterval = { REFRESH_TOKEN_REUSE_INTERVAL_SECONDS: "0" };

describe("SQLite store", () => {
  const server = sharedAppServer(noReuseInterval);
  crashTests("SQLite", (app) => app.crash(), server);
});

describe("Redis store", () => {
  // appendfsync always: Redis answers a write only once it is on disk, as production should run.
  const redis = sharedRedisServer({ appendOnly: true });
  const server = sharedAppServer(() => ({ ...noReuseInterval, REDIS_URL: redis.url }));
  crashTests(
    "Redis (Redis killed too)",
    async (app) => {
      await redis.restart();
      await app.crash();
    },
    server,
  );
});
