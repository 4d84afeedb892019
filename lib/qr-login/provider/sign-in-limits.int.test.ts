import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { testClock } from "@/test-support/test-clock";

import { v3 } from "../../../test-support/test-client";

const post = { client_id: testApp.id, client_secret: testApp.secret };
const from = (address: string) => ({ "x-forwarded-for": address });

/**
 * Makes attempts until one is refused with 429 and answers how many went before it: exactly the
 * limit (each test starts at the beginning of a minute's window, below), or more only if a test
 * outlasts that minute and the window starts over; never fewer and never twice the limit.
 */
async function allowedBeforeRefusal(limit: number, attempt: (index: number) => Promise<number>, allowedStatus = 401): Promise<number> {
  for (let index = 0; index <= 2 * limit; index++) {
    const status = await attempt(index);
    if (status === 429) return index;
    expect(status).toBe(allowedStatus);
  }
  throw new Error(`no 429 within ${2 * limit + 1} attempts`);
}

// The limits count in fixed windows of whole minutes: each test starts at the beginning of one,
// so a refusal it expects after spending a budget is never undone by a window passing.
const clock = testClock();
afterAll(() => clock.remove());
beforeEach(() => clock.startFreshWindow());

describe("limits on password guessing at /api/v3/signin and /api/v3/signup", () => {
  // One trusted proxy hop: each request speaks for its own address through X-Forwarded-For.
  const server = sharedAppServer({ TRUSTED_PROXY_HOPS: "1", ALLOW_SIGNUP: "true", ...clock.env });
  const signin = (account: string, password: string, headers: Record<string, string>) =>
    v3(server, "/api/v3/signin", { body: { connection: "PASSWORD", passwordPayload: { account, password }, ...post }, headers });

  it("limits an account however many addresses guess, with 429 and Retry-After; then even the right password waits", async () => {
    const allowed = await allowedBeforeRefusal(10, async (index) => (await signin("bob", "wrong-password", from(`198.51.100.${index + 1}`))).body.statusCode);
    expect(allowed).toBeGreaterThanOrEqual(10);
    const response = await fetch(`${server.origin}/api/v3/signin`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-authing-app-id": testApp.id, ...from("198.51.100.99") },
      body: JSON.stringify({ connection: "PASSWORD", passwordPayload: { account: "bob", password: "scan-me-in" }, ...post }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ statusCode: 429, apiCode: apiCodes.rateLimited, data: null });
    expect(server.output()).not.toMatch(/failed \(request/);
  });

  it("treats an unknown account exactly like a wrong password, limit included", async () => {
    const unknown = await signin("no-such-user@example.com", "wrong-password", from("198.51.101.1"));
    const wrongPassword = await signin("alice", "wrong-password", from("198.51.101.2"));
    expect(unknown).toEqual({ http: 200, body: { ...wrongPassword.body, requestId: expect.any(String) } });
    const allowed = await allowedBeforeRefusal(10, async (index) =>
      (await signin("no-such-user@example.com", "wrong-password", from(`198.51.101.${index + 10}`))).body.statusCode,
    );
    // The first attempt above already counted.
    expect(allowed).toBeGreaterThanOrEqual(9);
  });

  it("limits an address however many accounts it tries; other addresses go on", async () => {
    const allowed = await allowedBeforeRefusal(20, async (index) => (await signin(`spray-${index}`, "Winter2026!", from("203.0.113.30"))).body.statusCode);
    expect(allowed).toBeGreaterThanOrEqual(20);
    expect((await signin("spray-last", "Winter2026!", from("203.0.113.31"))).body.statusCode).toBe(401);
  });

  it("counts the address the app names for its user, since the app proved its secret", async () => {
    // The companion's sign-ins all reach the provider from the app server's one address.
    const statuses = [];
    for (let attempt = 0; attempt < 25; attempt++) {
      statuses.push((await signin(`named-${attempt}`, "x", { ...from("203.0.113.40"), "x-qr-login-client-ip": `192.0.2.${attempt + 1}` })).body.statusCode);
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
  });

  it("does not count against an account the attempts its address already refuses", async () => {
    // One address spends its budget on other names...
    const allowed = await allowedBeforeRefusal(20, async (index) => (await signin(`spray2-${index}`, "x", from("203.0.113.70"))).body.statusCode);
    expect(allowed).toBeGreaterThanOrEqual(20);
    // ...then hammers alice: every attempt is refused by its address, and none reaches her account.
    for (let attempt = 0; attempt < 15; attempt++) {
      expect((await signin("alice", "wrong-password", from("203.0.113.70"))).body.statusCode).toBe(429);
    }
    expect((await signin("alice", "scan-me-in", from("203.0.113.71"))).body.statusCode).toBe(200);
  });

  it("lets a device the app vouches for sign in to an account strangers have locked, within its own limit", async () => {
    const device = { "x-qr-login-device": "owner-phone-0123456789abcd" };
    const created = await v3(server, "/api/v3/signup", {
      body: { connection: "PASSWORD", passwordPayload: { username: "carol", password: "carol-password" } },
      headers: from("203.0.113.72"),
    });
    expect(created.body.statusCode).toBe(200);
    // Strangers from many addresses lock the account.
    await allowedBeforeRefusal(10, async (index) => (await signin("carol", "wrong-password", from(`198.51.102.${index + 1}`))).body.statusCode);
    expect((await signin("carol", "carol-password", from("198.51.102.99"))).body.statusCode).toBe(429);
    // The owner's phone (the app names it: it checked the phone's signed device cookie) is not locked out...
    expect((await signin("carol", "carol-password", { ...from("198.51.102.100"), ...device })).body.statusCode).toBe(200);
    // ...and has a limit of its own: a thief holding the phone gets no more guesses than anyone.
    const guesses = await allowedBeforeRefusal(10, async () => (await signin("carol", "wrong-password", { ...from("198.51.102.101"), ...device })).body.statusCode);
    expect(guesses).toBeGreaterThanOrEqual(9);
  });

  it("limits sign-ups per address", async () => {
    const signup = async (index: number) => {
      const answer = await v3(server, "/api/v3/signup", {
        body: { connection: "PASSWORD", passwordPayload: { username: `newbie${index}`, password: "long-enough-pw" } },
        headers: from("203.0.113.50"),
      });
      return answer.body.statusCode;
    };
    expect(await allowedBeforeRefusal(5, signup, 200)).toBeGreaterThanOrEqual(5);
  });
});

describe("under auth method none", () => {
  const server = sharedAppServer({ TRUSTED_PROXY_HOPS: "1", AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: "none", ...clock.env });

  it("ignores a device the caller names, since anyone can call", async () => {
    const attempt = (index: number, headers: Record<string, string> = {}) =>
      v3(server, "/api/v3/signin", {
        body: { connection: "PASSWORD", passwordPayload: { account: "bob", password: "wrong" } },
        headers: { ...from(`203.0.113.${index + 80}`), ...headers },
      }).then((answer) => answer.body.statusCode);
    await allowedBeforeRefusal(10, (index) => attempt(index));
    expect(await attempt(50, { "x-qr-login-device": "forged-device-0123456789" })).toBe(429);
  });

  it("ignores an address the caller names, since anyone can call", async () => {
    const allowed = await allowedBeforeRefusal(20, async (index) => {
      const answer = await v3(server, "/api/v3/signin", {
        body: { connection: "PASSWORD", passwordPayload: { account: `none-${index}`, password: "x" } },
        headers: { ...from("203.0.113.60"), "x-qr-login-client-ip": `192.0.2.${index + 1}` },
      });
      return answer.body.statusCode;
    });
    expect(allowed).toBeGreaterThanOrEqual(20);
  });
});
