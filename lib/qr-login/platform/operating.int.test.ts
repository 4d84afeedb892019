import http from "node:http";
import path from "node:path";

import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { bindingKey, decodeBindings } from "@/lib/qr-login/client/flow/binding-cookie";
import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";
import { freePort, testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

const METRICS_TOKEN = "scrape-me-with-this-bearer-token";

/** An OTLP/HTTP (JSON) receiver on loopback: what an OpenTelemetry collector would get. */
const exported: string[] = [];
let receiver: http.Server;
let receiverPort = 0;
beforeAll(async () => {
  receiverPort = await freePort();
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      exported.push(Buffer.concat(chunks).toString("utf8"));
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(receiverPort, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const server = sharedAppServer(() => ({
  SEED_DEMO_USERS: "true",
  METRICS_TOKEN,
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}`,
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  OTEL_BSP_SCHEDULE_DELAY: "100",
}));

const scrape = async () => {
  const response = await fetch(`${server.origin}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
};
const sample = (text: string, name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1] ?? "0");

/** A whole sign-in through the app: code, a held wait woken by the scan, confirm, redeem, session. */
async function signIn() {
  const browser = new TestBrowser(server.origin);
  const phone = new TestPhone(server.origin);
  await phone.signIn();
  const created = await browser.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST" });
  expect(created.status).toBe(201);
  const qrcodeId = created.body.qrcodeId;
  // The binding cookie as the code's creation set it (it holds the poll secret).
  const createdBinding = [...browser.cookies].find(([name]) => name.endsWith("qr-login-binding"))?.[1];
  const held = browser.json<{ status: string }>(`/api/qr-login/status?qrcodeId=${qrcodeId}&waitSeconds=20&knownStatus=PENDING`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await phone.approve(qrcodeId);
  expect((await held).body.status).not.toBe("PENDING");
  // Read before the redemption: the ticket the code holds, from the store itself.
  const store = new SqliteStore(path.join(server.dataDir, "provider.sqlite"));
  const ticket = (await store.findQrCode(qrcodeId))?.ticket;
  await store.close();
  expect(ticket).toBeTruthy();
  const signedIn = await browser.signInWithQrCode(qrcodeId);
  expect(signedIn.status).toBe(200);
  expect((await browser.session()).user).toMatchObject({ name: "Alice Chen" });

  const pollSecret = created.response.headers.getSetCookie().length
    ? decodeBindings(createdBinding, bindingKey(testApp.nextAuthSecret))[0]?.pollSecret
    : undefined;
  const sessionCookie = [...browser.cookies].find(([name]) => name.includes("session-token"))?.[1] ?? "";
  const session = (await decode({ token: sessionCookie, secret: testApp.nextAuthSecret })) as Record<string, unknown> | null;
  const secrets = [
    ticket!,
    phone.accessToken,
    testApp.secret,
    testApp.nextAuthSecret,
    "scan-me-in",
    sessionCookie,
    String(session?.accessToken ?? ""),
    String(session?.refreshToken ?? ""),
    ...(createdBinding ? [createdBinding] : []),
    ...(pollSecret ? [pollSecret] : []),
  ].filter((secret) => secret.length >= 8);
  expect(pollSecret).toBeTruthy();
  return { qrcodeId, secrets, requestId: created.response.headers.get("x-request-id") };
}

describe("operating it", () => {
  it("answers /api/health and /api/health/ready (SQLite open, signing key loaded) with no secret", async () => {
    const health = await fetch(`${server.origin}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const ready = await fetch(`${server.origin}/api/health/ready`);
    expect(ready.status).toBe(200);
    const body = await ready.text();
    expect(JSON.parse(body)).toEqual({
      status: "ready",
      failing: [],
      checks: { draining: { ok: true }, store: { ok: true }, signingKey: { ok: true } },
    });
    expect(body).not.toContain(server.dataDir);
  });

  it("serves /api/metrics only to the bearer of METRICS_TOKEN", async () => {
    expect((await fetch(`${server.origin}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${server.origin}/api/metrics`, { headers: { authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);
    expect(await scrape()).toContain("# TYPE qr_login_sign_ins_total counter");
  });

  it("counts a real sign-in: codes, scans, confirmations, redemptions, sign-ins, notice latency and duration", async () => {
    const before = await scrape();
    await signIn();
    const after = await scrape();
    for (const name of [
      "qr_login_codes_created_total",
      "qr_login_scans_total",
      "qr_login_confirmations_total",
      "qr_login_tickets_redeemed_total",
      "qr_login_sign_ins_total",
      "qr_login_notice_latency_seconds_count",
      'qr_login_sign_in_duration_seconds_count{outcome="signed_in"}',
    ]) {
      expect(sample(after, name), name).toBeGreaterThan(sample(before, name));
    }
    expect(sample(after, "qr_login_waits_held")).toBe(0);
    // A refusal by reason: a code this browser did not create.
    await new TestBrowser(server.origin).fetch("/api/qr-login/status?qrcodeId=AAAAAAAAAAAAAAAAAAAAAA");
    expect(sample(await scrape(), 'qr_login_refusals_total{reason="not_bound"}')).toBeGreaterThan(sample(after, 'qr_login_refusals_total{reason="not_bound"}'));
  });

  it("logs one JSON line per event with the request id it answered in x-request-id, and never a secret", async () => {
    const logStart = server.output().length;
    const { qrcodeId, secrets, requestId } = await signIn();
    const lines = server
      .output()
      .slice(logStart)
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const events = lines.filter((line) => line.qrcodeId === qrcodeId).map((line) => line.event);
    expect(events).toEqual(expect.arrayContaining(["qr_code.created", "qr_code.scanned", "qr_code.confirmed", "ticket.redeemed", "signed_in"]));
    expect(requestId).toBeTruthy();
    expect(lines.find((line) => line.event === "qr_code.created" && line.qrcodeId === qrcodeId)?.requestId).toBe(requestId);
    for (const line of lines) expect(line.requestId, JSON.stringify(line)).toBeTruthy();
    const everything = server.output();
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it("exports spans of the sign-in by OTLP, none carrying a ticket, token, secret or password", async () => {
    const { secrets } = await signIn();
    const names = () => exported.join("\n");
    for (const span of ["qr_login.create", "qr_login.status_wait", "qr_login.scan", "qr_login.confirm", "qr_login.redeem", "qr_login.ticket_exchange"]) {
      await expect.poll(names, { timeout: 15_000 }).toContain(`"${span}"`);
    }
    const all = names();
    for (const secret of secrets) expect(all).not.toContain(secret);
    const keys = [...all.matchAll(/"key":"([^"]+)"/g)].map((match) => match[1]!);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => /ticket|token|secret|password|cookie|authorization/i.test(key))).toEqual([]);
  });
});
