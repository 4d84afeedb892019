import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startAppServer, testApp, type AppServer } from "@/test-support/app-server";

import { authorizedTicket, exchange, form, geneQrCode, qrStatus, setStatus, signin } from "../../../test-support/test-client";

describe("concurrency: two server processes sharing one DATA_DIR", () => {
  let first: AppServer;
  let second: AppServer;
  beforeAll(async () => {
    first = await startAppServer();
    second = await startAppServer({ DATA_DIR: first.dataDir });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it("redeems one ticket exactly once out of 20 parallel exchanges on one server", async () => {
    const { ticket } = await authorizedTicket(first, "client_secret_post");
    const answers = await Promise.all(Array.from({ length: 20 }, () => exchange(first, ticket, "client_secret_post")));
    expect(answers.every((answer) => answer.http === 200)).toBe(true);
    expect(answers.filter((answer) => answer.body.statusCode === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.body.statusCode === 400)).toHaveLength(19);
  });

  it("redeems one ticket exactly once when the exchanges are split across both processes", async () => {
    const { ticket } = await authorizedTicket(first, "client_secret_post");
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => exchange(i % 2 ? second : first, ticket, "client_secret_post")),
    );
    expect(answers.filter((answer) => answer.body.statusCode === 200)).toHaveLength(1);
  });

  it("lets exactly one of CONFIRM and CANCEL win, and the status shows the winner", async () => {
    const { access_token } = await signin(first, "alice", "client_secret_post");
    for (let round = 0; round < 5; round++) {
      const { qrcodeId } = await geneQrCode(first);
      expect((await setStatus(first, access_token, qrcodeId, "SCAN")).body.statusCode).toBe(200);
      const [confirm, cancel] = await Promise.all([
        setStatus(first, access_token, qrcodeId, "CONFIRM"),
        setStatus(second, access_token, qrcodeId, "CANCEL"),
      ]);
      const winners = [confirm, cancel].filter((answer) => answer.body.statusCode === 200);
      expect(winners).toHaveLength(1);
      const status = (await qrStatus(second, qrcodeId)).body.data;
      expect(status.status).toBe(confirm.body.statusCode === 200 ? "AUTHORIZED" : "CANCELLED");
      expect(Boolean(status.ticket)).toBe(status.status === "AUTHORIZED");
    }
  });

  it("refreshes one token in both processes at the same instant without signing the user out", async () => {
    const { refresh_token } = await signin(first, "alice", "client_secret_post");
    const refresh = (server: AppServer, token: string) =>
      form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: token, client_id: testApp.id, client_secret: testApp.secret });
    const [one, two] = await Promise.all([refresh(first, refresh_token), refresh(second, refresh_token)]);
    expect(one.http).toBe(200);
    expect(two.http).toBe(200);
    // Both successors live on: whichever one the browser keeps, the next refresh works.
    for (const [server, answer] of [[second, one], [first, two]] as const) {
      const next = await refresh(server, answer.body.refresh_token);
      expect(next.http).toBe(200);
      expect((await fetch(`${server.origin}/oidc/me`, { headers: { authorization: `Bearer ${next.body.access_token}` } })).status).toBe(200);
    }
  });

  it("serves one signing key from both processes (first writer wins)", async () => {
    const [a, b] = await Promise.all(
      [first, second].map(async (server) => (await fetch(`${server.origin}/oidc/.well-known/jwks.json`)).json()),
    );
    expect(a.keys).toHaveLength(1);
    expect(a).toEqual(b);
  });
});
