import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { testApp, testDistDir, projectRoot } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

/** mulberry32: the same seed makes the same requests on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick, chance: (p: number) => next() < p };
}

const SEED = 20_260_707;
// Every route with every method once, then seeded random requests up to this many. FUZZ_REQUESTS
// asks for a longer run.
const REQUESTS = Number(process.env.FUZZ_REQUESTS) || 1_500;
const CONCURRENCY = 12;

const v3Paths = [
  "gene-qrcode", "get-qrcode-status", "check-qrcode-status", "set-qrcode-status", "change-qrcode-status",
  "exchange-tokenset-with-qrcode-ticket", "signin", "signup", "get-profile", "qrcode-image", "no-such-endpoint", "signin/extra",
].map((name) => `/api/v3/${name}`);
const v2Paths = [
  ...["gene", "check", "userinfo", "scanned", "confirm", "cancel", "nope", "scanned/extra"].map((name) => `/api/v2/qrcode/${name}`),
  "/api/v2/users/me",
];
const oidcPaths = ["/oidc/token", "/oidc/token/revocation", "/oidc/me", "/oidc/.well-known/jwks.json", "/oidc/.well-known/openid-configuration", "/oidc/nope"];
const appPaths = ["/api/qr-login", "/api/qr-login/status", "/api/qr-login/nope"];
const authPaths = [
  "providers", "csrf", "session", "signin", "signin/qrcode", "signin/github", "signout", "callback/qrcode", "callback/credentials",
  "callback", "error", "_log", "verify-request", "nope", "session/extra/more",
].map((name) => `/api/auth/${name}`);
const pagePaths = ["/", "/login", "/account", "/m", "/m/scan/AAAAAAAAAAAAAAAAAAAAAA", "/m/scan/%3Cscript%3E", "/m/scan/..%2F..", "/nope", "/m/nope"];

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
const strings = ["", "a", "alice-not", "x".repeat(300), "<script>", "../../etc/passwd", "null", "\u0000", "😀", "%00", "' OR 1=1 --", "AAAAAAAAAAAAAAAAAAAAAA"];
// Header values must be printable Latin-1.
const headerStrings = strings.filter((value) => /^[\x20-\x7e]+$/.test(value));
const ids = ["", "AAAAAAAAAAAAAAAAAAAAAA", "short", "a".repeat(500), "%3Cx%3E", "../x", "0"];
const accounts = ["mallory", "nobody@example.com", "", "x".repeat(300), "carol", "😀"];

function garbageValue(rng: ReturnType<typeof random>, depth = 0): unknown {
  switch (rng.pick(["string", "number", "bool", "null", "array", "object"] as const)) {
    case "string": return rng.pick(strings);
    case "number": return rng.pick([0, -1, 1e308, 3.5, Number.MAX_SAFE_INTEGER]);
    case "bool": return rng.chance(0.5);
    case "null": return null;
    case "array": return depth > 2 ? [] : [garbageValue(rng, depth + 1), garbageValue(rng, depth + 1)];
    case "object": return depth > 2 ? {} : garbageObject(rng, depth + 1);
  }
}

const fieldNames = [
  "qrcodeId", "action", "ticket", "type", "context", "customData", "connection", "passwordPayload", "client_id", "client_secret",
  "grant_type", "refresh_token", "token", "access_token", "csrfToken", "callbackUrl", "json", "username", "password", "constructor",
  "random", "scene", "params", "withCustomData",
];

function garbageObject(rng: ReturnType<typeof random>, depth = 0): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const count = Math.floor(rng.next() * 5);
  for (let index = 0; index < count; index++) object[rng.pick(fieldNames)] = garbageValue(rng, depth);
  if (rng.chance(0.3)) object.passwordPayload = { account: rng.pick(accounts), password: rng.pick(strings) };
  if (rng.chance(0.2)) Object.assign(object, { client_id: testApp.id, client_secret: rng.chance(0.5) ? testApp.secret : "wrong" });
  return object;
}

type FuzzRequest = { method: string; path: string; headers: Record<string, string>; body?: string };

const groups = ["v3", "v2", "oidc", "app", "auth", "page", "action"] as const;
type Group = (typeof groups)[number];
const actionPaths = ["/m", "/m/scan/AAAAAAAAAAAAAAAAAAAAAA", "/login", "/"];
const pathsOf: Record<Group, string[]> = { v3: v3Paths, v2: v2Paths, oidc: oidcPaths, app: appPaths, auth: authPaths, page: pagePaths, action: actionPaths };

/** One request on each route with each method (server actions are POSTs): no route left untried. */
function everyRoute(): { group: Group; path: string; method: string }[] {
  return groups.flatMap((group) =>
    pathsOf[group].flatMap((path) => (group === "action" ? ["POST"] : methods).map((method) => ({ group, path, method }))),
  );
}

function makeRequest(rng: ReturnType<typeof random>, actionIds: string[], route?: { group: Group; path: string; method: string }): FuzzRequest {
  // Pages and server actions render React, the costliest answers: fewer of them keeps the run short.
  const group = route?.group ?? rng.pick(["v3", "v3", "v3", "v2", "oidc", "oidc", "app", "app", "auth", "auth", "auth", "page", "action"] as const);
  const headers: Record<string, string> = {};
  // Every request from its own (documentation) address, so per-address limits do not pile up.
  headers["x-forwarded-for"] = rng.chance(0.9) ? `198.51.100.${Math.floor(rng.next() * 250) + 1}` : rng.pick(headerStrings);
  if (rng.chance(0.7)) headers["x-authing-app-id"] = rng.chance(0.7) ? testApp.id : rng.pick(headerStrings);
  if (rng.chance(0.2)) headers["x-authing-userpool-id"] = rng.pick(headerStrings);
  if (rng.chance(0.3)) headers.authorization = rng.pick(["Bearer x", "Basic !!!", `Basic ${Buffer.from("a:b").toString("base64")}`, "garbage", "Bearer "]);
  if (rng.chance(0.3)) {
    headers.cookie = rng.pick([
      "qr-login-binding=garbage", "qr-login-binding=a.b", "next-auth.session-token=garbage", "next-auth.callback-url=%%%",
      "next-auth.callback-url=javascript:alert(1)", "next-auth.csrf-token=x|y", "qr-companion-token=not-a-jwt", "__Host-qr-login-binding=x",
    ]);
  }
  let path = route?.path ?? rng.pick(pathsOf[group]);
  const method: string = group === "action" ? "POST" : (route?.method ?? rng.pick(methods));
  if (group === "action") {
    headers["next-action"] = rng.chance(0.8) && actionIds.length > 0 ? rng.pick(actionIds) : rng.pick(headerStrings);
    headers["next-router-state-tree"] = rng.pick(["", "garbage", encodeURIComponent("[]")]);
  }
  if (rng.chance(0.5)) {
    const key = rng.pick(["qrcodeId", "random", "callbackUrl", "error", "access_token", "next", "csrf"]);
    path += `?${key}=${encodeURIComponent(String(rng.pick(key === "qrcodeId" || key === "random" ? ids : strings)))}`;
  }
  if (method !== "GET" && method !== "HEAD" && rng.chance(0.85)) {
    const kind = rng.pick(["json", "json", "badjson", "form", "multipart", "binary", "huge"] as const);
    switch (kind) {
      case "json":
        headers["content-type"] = "application/json";
        return { method, path, headers, body: JSON.stringify(rng.chance(0.8) ? garbageObject(rng) : garbageValue(rng)) };
      case "badjson":
        headers["content-type"] = rng.pick(["application/json", "text/plain", "application/x-www-form-urlencoded"]);
        return { method, path, headers, body: rng.pick(["{", "{\"a\":", "[1,", "\u0000\u0001", "nul"]) };
      case "form":
        headers["content-type"] = "application/x-www-form-urlencoded";
        return { method, path, headers, body: new URLSearchParams(Object.entries(garbageObject(rng)).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])).toString() };
      case "multipart":
        headers["content-type"] = rng.pick(["multipart/form-data; boundary=xyz", "multipart/form-data"]);
        return { method, path, headers, body: rng.pick(["--xyz\r\nContent-Disposition: form-data; name=\"1_$ACTION_ID\"\r\n\r\nx\r\n--xyz--", "garbage", "[]"]) };
      case "binary":
        return { method, path, headers, body: String.fromCharCode(...Array.from({ length: 64 }, () => Math.floor(rng.next() * 256))) };
      case "huge":
        headers["content-type"] = "application/json";
        return { method, path, headers, body: JSON.stringify({ qrcodeId: "x".repeat(70 * 1024) }) };
    }
  }
  return { method, path, headers };
}

/** The ids of the app's server actions, from the build's manifest, so the fuzz reaches real actions. */
function serverActionIds(): string[] {
  try {
    const manifest = JSON.parse(readFileSync(path.join(projectRoot, testDistDir, "server", "server-reference-manifest.json"), "utf8")) as {
      node?: Record<string, unknown>;
    };
    return Object.keys(manifest.node ?? {});
  } catch {
    return [];
  }
}

const isEnvelope = (body: unknown) =>
  typeof body === "object" && body !== null && typeof (body as { statusCode?: unknown }).statusCode === "number" &&
  typeof (body as { message?: unknown }).message === "string" && "data" in body;

/** Authing's V2 envelope, which /api/v2/* answers to everything. */
const isV2Envelope = (body: unknown) =>
  typeof body === "object" && body !== null && typeof (body as { code?: unknown }).code === "number" &&
  typeof (body as { message?: unknown }).message === "string" && "data" in body;

describe("fuzz: garbage on every route", () => {
  // Trusting one proxy hop lets each request speak for its own address (x-forwarded-for).
  const server = sharedAppServer({ TRUSTED_PROXY_HOPS: "1" });

  it(`answers ${REQUESTS} malformed requests with no 5xx, every /api/v3/* and /api/v2/* answer its envelope, and still signs in`, { timeout: 180_000 }, async () => {
    const actionIds = serverActionIds();
    expect(actionIds.length).toBeGreaterThan(0);
    const rng = random(SEED);
    const systematic = everyRoute().map((route) => makeRequest(rng, actionIds, route));
    const requests = [...systematic, ...Array.from({ length: REQUESTS - systematic.length }, () => makeRequest(rng, actionIds))];
    expect(requests).toHaveLength(REQUESTS);
    const failures: string[] = [];
    const timings = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        const started = performance.now();
        const response = await fetch(`${server.origin}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          redirect: "manual",
        });
        const text = await response.text();
        if (process.env.FUZZ_DEBUG) {
          const key = `${request.method} ${request.path.split("?")[0]}`;
          timings.set(key, (timings.get(key) ?? 0) + performance.now() - started);
        }
        const label = `${request.method} ${request.path} ${JSON.stringify(request.headers)} ${String(request.body ?? "").slice(0, 200)}`;
        if (response.status >= 500) failures.push(`${response.status} ${label}: ${text.slice(0, 200)}`);
        const withBody = request.method !== "HEAD" && request.method !== "OPTIONS";
        const envelope = request.path.startsWith("/api/v3/") ? isEnvelope : request.path.startsWith("/api/v2/") ? isV2Envelope : undefined;
        const image = response.headers.get("content-type")?.startsWith("image/");
        if (withBody && envelope && !image) {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          if (!envelope(body)) failures.push(`no envelope ${response.status} ${label}: ${text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (process.env.FUZZ_DEBUG) console.log([...timings].sort((a, b) => b[1] - a[1]).slice(0, 25));
    if (process.env.FUZZ_DEBUG) console.log(failures.map((f) => f.slice(0, 300)).join("\n"));
    expect(failures.slice(0, 20)).toEqual([]);

    // The fuzz changed nothing that a normal sign-in needs.
    const browser = new TestBrowser(server.origin);
    const html = await (await browser.fetch("/login")).text();
    const qrcodeId = /data-qrcode-id="([^"]+)"/.exec(html)?.[1];
    expect(qrcodeId).toBeTruthy();
    const phone = new TestPhone(server.origin);
    await phone.signIn();
    await phone.approve(qrcodeId!);
    expect((await browser.signInWithQrCode(qrcodeId!)).status).toBe(200);
    expect(await browser.session()).toMatchObject({ user: { name: "Alice Chen" } });
  });
});
