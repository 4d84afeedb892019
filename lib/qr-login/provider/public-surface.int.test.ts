import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { testClock } from "@/test-support/test-clock";

import { clientAuth, form, geneQrCode, setStatus, signin, v3, type V3Answer } from "../../../test-support/test-client";
import { PROVIDER_RATE_LIMITS } from "./provider-rate-limits";

// One trusted proxy hop: each request speaks for the address in its X-Forwarded-For.
const from = (address: string) => ({ "x-forwarded-for": address });
const perMinute = (tiers: readonly { limit: number }[]) => tiers[0]!.limit;

/** A 429 in the V3 envelope with a Retry-After, as every refusal of the provider's limits is. */
async function expectLimited(response: Response) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await response.json()).toMatchObject({ statusCode: 429, apiCode: apiCodes.rateLimited, data: null });
}

/** Requests `count` times in parallel batches and answers the HTTP statuses. */
async function burst(count: number, request: (index: number) => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - start) }, (_, offset) => request(start + offset)));
    statuses.push(...batch.map((response) => (void response.body?.cancel(), response.status)));
  }
  return statuses;
}

describe("the provider's public endpoints are limited per address", () => {
  const clock = testClock();
  afterAll(() => clock.remove());
  const server = sharedAppServer({ TRUSTED_PROXY_HOPS: "1", ...clock.env });
  const appHeaders = { "x-authing-app-id": testApp.id, "content-type": "application/json" };
  const gene = (address: string, body: Record<string, unknown> = {}) =>
    fetch(`${server.origin}/api/v3/gene-qrcode`, {
      method: "POST",
      headers: { ...appHeaders, ...from(address) },
      body: JSON.stringify({ type: "MOBILE_APP", ...body }),
    });

  // The limits count in fixed windows of whole minutes: each test starts at the beginning of one.
  beforeEach(() => clock.startFreshWindow());

  it("gene-qrcode: a burst from one address gets 429 with Retry-After in the envelope; other addresses and the app go on", async () => {
    const limit = perMinute(PROVIDER_RATE_LIMITS.geneQrCode);
    const statuses = await burst(limit + 20, () => gene("203.0.113.10"));
    expect(statuses.filter((status) => status === 200)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    await expectLimited(await gene("203.0.113.10"));
    // Authing's V2 gene draws on the same budget, and says so in its own envelope.
    const v2Gene = await fetch(`${server.origin}/api/v2/qrcode/gene`, { method: "POST", headers: { ...appHeaders, ...from("203.0.113.10") }, body: JSON.stringify({ scene: "APP_AUTH" }) });
    expect(v2Gene.status).toBe(429);
    expect(Number(v2Gene.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await v2Gene.json()).toEqual({ code: apiCodes.rateLimited, message: "Too many requests. Try again later.", data: null });
    expect((await gene("203.0.113.11")).status).toBe(200);
    // The app proves its secret: its own codes are limited by the app, per browser.
    expect((await gene("203.0.113.10", clientAuth("client_secret_post").body)).status).toBe(200);
  });

  it("both status twins and V2's check share one budget per address, and qrcode-image has its own", async () => {
    const { qrcodeId } = await geneQrCode(server);
    const limit = perMinute(PROVIDER_RATE_LIMITS.qrCodeStatus);
    const twins = [`/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, `/api/v3/check-qrcode-status?qrcodeId=${qrcodeId}`, `/api/v2/qrcode/check?random=${qrcodeId}`];
    const status = (twin: number) => fetch(`${server.origin}${twins[twin]}`, { headers: { "x-authing-app-id": testApp.id, ...from("203.0.113.20") } });
    const statuses = await burst(limit, (index) => status(index % 3));
    expect(new Set(statuses)).toEqual(new Set([200]));
    await expectLimited(await status(0));
    await expectLimited(await status(1));
    const v2Check = await status(2);
    expect(v2Check.status).toBe(429);
    expect(await v2Check.json()).toMatchObject({ code: apiCodes.rateLimited, data: null });

    const imageLimit = perMinute(PROVIDER_RATE_LIMITS.qrCodeImage);
    const image = () => fetch(`${server.origin}/api/v3/qrcode-image?qrcodeId=${qrcodeId}`, { headers: from("203.0.113.21") });
    expect(new Set(await burst(imageLimit, image))).toEqual(new Set([200]));
    await expectLimited(await image());
  });

  it("failed client authentication is limited per address across /oidc/token, the exchange, revocation and V2 userinfo", async () => {
    const limit = perMinute(PROVIDER_RATE_LIMITS.clientAuthFailures);
    const wrong = { client_id: testApp.id, client_secret: "not-the-secret" };
    for (let attempt = 0; attempt < limit; attempt++) {
      const path = ["/oidc/token", "/oidc/token/revocation"][attempt % 2]!;
      const answer = await form(server, path, { grant_type: "refresh_token", refresh_token: "x", token: "x", ...wrong }, from("203.0.113.30"));
      expect(answer.http).toBe(401);
    }
    const token = await fetch(`${server.origin}/oidc/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...from("203.0.113.30") },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", ...wrong }),
    });
    expect(token.status).toBe(429);
    expect(Number(token.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await token.json()).toMatchObject({ error: "slow_down" });
    await expectLimited(
      await fetch(`${server.origin}/api/v3/exchange-tokenset-with-qrcode-ticket`, {
        method: "POST",
        headers: { ...appHeaders, ...from("203.0.113.30") },
        body: JSON.stringify({ ticket: "x", ...wrong }),
      }),
    );
    // V2's userinfo without the secret counts as a failure too: past the limit, 429 in its envelope.
    const v2UserInfo = await fetch(`${server.origin}/api/v2/qrcode/userinfo`, { method: "POST", headers: { ...appHeaders, ...from("203.0.113.30") }, body: JSON.stringify({ ticket: "x" }) });
    expect(v2UserInfo.status).toBe(429);
    expect(await v2UserInfo.json()).toMatchObject({ code: apiCodes.rateLimited });
    // Another address is still told what is wrong.
    expect((await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: "x", ...wrong }, from("203.0.113.31"))).http).toBe(401);
    // Past the budget the address is refused before its secret is checked: the right one waits too.
    const right = { client_id: testApp.id, client_secret: testApp.secret };
    expect((await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: "x", ...right }, from("203.0.113.30"))).http).toBe(429);
    await expectLimited(
      await fetch(`${server.origin}/api/v3/signin`, {
        method: "POST",
        headers: { ...appHeaders, ...from("203.0.113.30") },
        body: JSON.stringify({ connection: "PASSWORD", passwordPayload: { account: "alice", password: "scan-me-in" }, ...right }),
      }),
    );
    // From elsewhere the right secret is heard.
    expect((await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: "x", ...right }, from("203.0.113.32"))).body).toMatchObject({ error: "invalid_grant" });
    // The window passes, and the address is heard again.
    clock.advance(60_000);
    expect((await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: "x", ...right }, from("203.0.113.30"))).body).toMatchObject({ error: "invalid_grant" });
  });

  it("takes the requester's context only from the app; for anyone else the phone sees what the provider saw", async () => {
    const alice = await signin(server, "alice", "client_secret_post");
    const requesterSeen = async (headers: Record<string, string>, body: Record<string, unknown>) => {
      const made = (await (await fetch(`${server.origin}/api/v3/gene-qrcode`, {
        method: "POST",
        headers: { ...appHeaders, ...headers },
        body: JSON.stringify({ type: "MOBILE_APP", context: { ip: "10.0.0.7", userAgent: "Victim's Firefox" }, ...body }),
      })).json()) as V3Answer["body"];
      const scan = await setStatus(server, alice.access_token, made.data.qrcodeId, "SCAN");
      return scan.body.data.requester.context;
    };
    const stranger = { ...from("203.0.113.60"), "user-agent": "curl/8.0" };
    // A forger's context is ignored, with no secret and with a wrong one.
    expect(await requesterSeen(stranger, {})).toEqual({ ip: "203.0.113.60", userAgent: "curl/8.0" });
    expect(await requesterSeen(stranger, { client_id: testApp.id, client_secret: "a-guess-at-the-secret" })).toEqual({ ip: "203.0.113.60", userAgent: "curl/8.0" });
    // The app, proving its secret either way, says who is asking.
    expect(await requesterSeen(stranger, clientAuth("client_secret_post").body)).toEqual({ ip: "10.0.0.7", userAgent: "Victim's Firefox" });
    expect(await requesterSeen({ ...stranger, ...clientAuth("client_secret_basic").headers }, {})).toEqual({ ip: "10.0.0.7", userAgent: "Victim's Firefox" });
  });

  it("caps customData and context in bytes, with a clear 400", async () => {
    const asApp = clientAuth("client_secret_post").body;
    const tooBig = async (body: Record<string, unknown>): Promise<V3Answer["body"]> => (await (await gene("203.0.113.40", { ...body, ...asApp })).json()) as V3Answer["body"];
    // 1,400 CJK characters are 4,200 bytes: over the cap though under 4,096 characters.
    expect(await tooBig({ customData: { note: "码".repeat(1400) } })).toMatchObject({ statusCode: 400, apiCode: apiCodes.invalidRequest, message: expect.stringMatching(/customData: .*4096 bytes/) });
    expect(await tooBig({ context: { userAgent: "x".repeat(5000) } })).toMatchObject({ statusCode: 400, message: expect.stringMatching(/context: /) });
    expect(await tooBig({ customData: { note: "码".repeat(1300) } })).toMatchObject({ statusCode: 200 });
  });
});

describe("held status waits are capped per address and per process", () => {
  const perAddress = 4;
  const perProcess = 12;
  const server = sharedAppServer({
    TRUSTED_PROXY_HOPS: "1",
    QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS: String(perAddress),
    QR_STATUS_MAX_HELD_WAITS: String(perProcess),
  });

  /**
   * Sends `count` waits from `address` and resolves once all but `perAddress` are answered: those
   * answers, and the requests still held (an answer only comes at once when no slot was free).
   */
  async function waitsFrom(qrcodeId: string, address: string, count: number) {
    const pending = new Map<number, Promise<V3Answer>>();
    const early: V3Answer[] = [];
    await new Promise<void>((resolve) => {
      for (let index = 0; index < count; index++) {
        const request = v3(server, `/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}&waitSeconds=25&knownStatus=PENDING`, { method: "GET", headers: from(address) });
        pending.set(index, request);
        request.then((answer) => {
          if (early.length === count - perAddress) return;
          pending.delete(index);
          early.push(answer);
          if (early.length === count - perAddress) resolve();
        });
      }
    });
    return { early, held: [...pending.values()] };
  }

  it("holds at most the cap from one address, answers the rest at once with a hint to poll, and serves others meanwhile", async () => {
    const { qrcodeId } = await geneQrCode(server);
    const unheld = (answer: V3Answer) => answer.body.statusCode === 200 && answer.body.data.status === "PENDING" && answer.body.data.pollAfterMs > 0;

    // One address asks for many more waits than it may hold: the rest are answered at once with
    // the current status (a crowd degrades to polling).
    const crowd = await waitsFrom(qrcodeId, "203.0.113.50", perAddress + 40);
    expect(crowd.early).toHaveLength(40);
    expect(crowd.early.every(unheld)).toBe(true);

    // Others are served meanwhile: a new code, a poll, the login page.
    expect((await geneQrCode(server)).qrcodeId).toBeTruthy();
    expect((await v3(server, `/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, { method: "GET", headers: from("198.51.100.60") })).body.data).toEqual({ status: "PENDING" });
    expect((await fetch(`${server.origin}/login`, { headers: from("198.51.100.61") })).status).toBe(200);

    // Two more addresses fill the process to its cap (4 + 4 + 4); beyond it, anyone is answered at once.
    const others = [await waitsFrom(qrcodeId, "198.51.100.1", perAddress + 1), await waitsFrom(qrcodeId, "198.51.100.2", perAddress + 1)];
    expect(others.flatMap((each) => each.early).every(unheld)).toBe(true);
    const latecomer = await v3(server, `/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}&waitSeconds=25&knownStatus=PENDING`, { method: "GET", headers: from("198.51.100.4") });
    expect(unheld(latecomer)).toBe(true);

    // The held waits were really held: the scan wakes every one of them, with no hint to poll.
    const alice = await signin(server, "alice", "client_secret_post");
    expect((await setStatus(server, alice.access_token, qrcodeId, "SCAN")).body.statusCode).toBe(200);
    const held = await Promise.all([...crowd.held, ...others.flatMap((each) => each.held)]);
    expect(held).toHaveLength(perProcess);
    expect(held.every((answer) => answer.body.data.status === "SCANNED" && answer.body.data.pollAfterMs === undefined)).toBe(true);
  });
});
