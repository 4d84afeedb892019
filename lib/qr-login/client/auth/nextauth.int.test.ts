import { decode, encode, type JWT } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";

import { createAuthingClient, OAuthError } from "@/lib/qr-login/client/authing/client";
import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { decodeHeldSignIn, heldSignInKey } from "@/lib/qr-login/client/flow/account-check";
import { bindingKey, decodeBindings } from "@/lib/qr-login/client/flow/binding-cookie";
import { openRedirectSpellings } from "@/test-support/open-redirect-spellings";
import { phoneV2 } from "@/test-support/v2-test-client";
import { isHeldForAccount, parseSetCookie, TestBrowser, TestPhone } from "@/test-support/test-browser";
import { testApp, type AppServer } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { testClock } from "@/test-support/test-clock";

// Production names: `__Secure-` and `__Host-` cookies, Secure even on http://127.0.0.1.
const SESSION_COOKIE = "__Secure-next-auth.session-token";

async function sessionJwt(browser: TestBrowser): Promise<JWT> {
  const token = await decode({ token: browser.cookies.get(SESSION_COOKIE), secret: testApp.nextAuthSecret });
  if (!token) throw new Error("no session cookie");
  return token;
}

/** A browser opens /login; answers the id of the code on it. */
async function codeOn(browser: TestBrowser): Promise<string> {
  const html = await (await browser.fetch("/login")).text();
  const qrcodeId = /data-qrcode-id="([^"]+)"/.exec(html)?.[1];
  if (!qrcodeId) throw new Error("no QR code on /login");
  return qrcodeId;
}

/** A browser opens /login, the phone (alice) approves the code on it; answers the code's id. */
async function approvedCodeFor(server: AppServer, browser: TestBrowser, user = "alice"): Promise<string> {
  const qrcodeId = await codeOn(browser);
  const phone = new TestPhone(server.origin);
  await phone.signIn(user);
  await phone.approve(qrcodeId);
  return qrcodeId;
}

function clientFor(server: AppServer) {
  return createAuthingClient({
    baseUrl: server.origin,
    appId: testApp.id,
    appSecret: testApp.secret,
    tokenEndpointAuthMethod: "client_secret_post",
  });
}

describe("NextAuth with the qrcode credentials provider", () => {
  const server = sharedAppServer();

  it("signs the browser that owns the code in; the session the browser reads holds no token", async () => {
    const browser = new TestBrowser(server.origin);
    const qrcodeId = await approvedCodeFor(server, browser);

    const callback = await browser.signInWithQrCode(qrcodeId);
    expect(callback.status).toBe(200);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(true);
    // The redeemed code is no longer vouched for by the binding cookie.
    const bindings = decodeBindings(browser.cookies.get("__Host-qr-login-binding"), bindingKey(testApp.nextAuthSecret));
    expect(bindings.map((binding) => binding.qrcodeId)).not.toContain(qrcodeId);

    const sessionText = await (await browser.fetch("/api/auth/session")).text();
    const session = JSON.parse(sessionText) as { user: Record<string, unknown>; expires: string };
    expect(session.user).toEqual({ sub: expect.any(String), name: "Alice Chen", email: "alice@example.com", image: expect.any(String) });
    expect(Object.keys(session).sort()).toEqual(["expires", "user"]);

    const jwt = await sessionJwt(browser);
    for (const secret of [jwt.accessToken, jwt.refreshToken, testApp.secret]) {
      expect(secret).toEqual(expect.any(String));
      expect(sessionText).not.toContain(secret);
    }
    expect(jwt.idTokenClaims).toMatchObject({ iss: `${server.origin}/oidc`, aud: testApp.id, sub: session.user.sub });

    const home = await (await browser.fetch("/")).text();
    expect(home).toMatch(/Signed in as <strong[^>]*>Alice Chen<\/strong>/);
    expect(home).not.toContain(jwt.accessToken!);

    const account = await browser.fetch("/account");
    expect(account.status).toBe(200);
    const accountHtml = await account.text();
    expect(accountHtml).toContain("Profile from /oidc/me");
    expect(accountHtml).toContain("alice@example.com");
    expect(accountHtml).toContain(`${server.origin}/oidc`);

    const login = await browser.fetch("/login");
    expect(login.status).toBe(307);
    expect(new URL(login.headers.get("location")!, server.origin).pathname).toBe("/");

    // Nothing secret reached a log line.
    for (const secret of [jwt.accessToken!, jwt.refreshToken!, testApp.secret, testApp.nextAuthSecret]) {
      expect(server.output()).not.toContain(secret);
    }
  });

  it("sends a signed-in visit to /login?callbackUrl=… only to this site, however the URL is spelled", async () => {
    const browser = new TestBrowser(server.origin);
    await browser.signInWithQrCode(await approvedCodeFor(server, browser));
    for (const spelling of openRedirectSpellings) {
      const response = await browser.fetch(`/login?callbackUrl=${encodeURIComponent(spelling)}`);
      expect(response.status, spelling).toBe(307);
      expect(new URL(response.headers.get("location")!, server.origin).href, spelling).toBe(`${server.origin}/`);
    }
    const kept = await browser.fetch(`/login?callbackUrl=${encodeURIComponent("/account?tab=1")}`);
    expect(new URL(kept.headers.get("location")!, server.origin).href).toBe(`${server.origin}/account?tab=1`);
  });

  it("answers NextAuth's sign-in with a destination on this site only", async () => {
    const browser = new TestBrowser(server.origin);
    const qrcodeId = await approvedCodeFor(server, browser);
    // This browser's first sign-in is held; the tap that continues it names the destination.
    expect(await isHeldForAccount(await browser.postQrSignIn({ qrcodeId }))).toBe(true);
    const continued = await browser.postQrSignIn({ qrcodeId, account: "continue", callbackUrl: `${server.origin}/..//evil.example` });
    expect(continued.status).toBe(200);
    expect(((await continued.json()) as { url: string }).url).toBe(`${server.origin}/`);
  });

  it("refuses a code from a browser whose cookie does not vouch for it (hijack by id)", async () => {
    const victim = new TestBrowser(server.origin);
    const qrcodeId = await approvedCodeFor(server, victim);

    // The attacker has a binding cookie of their own, for their own code, and learned the victim's id.
    const attacker = new TestBrowser(server.origin);
    await attacker.fetch("/login");
    expect(attacker.cookies.has("__Host-qr-login-binding")).toBe(true);
    const attempt = await attacker.signInWithQrCode(qrcodeId);
    expect(attempt.status).toBe(401);
    expect(attacker.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await attacker.session()).toEqual({});

    // The refused attempt spent nothing: the victim still signs in.
    expect((await victim.signInWithQrCode(qrcodeId)).status).toBe(200);
    expect(victim.cookies.has(SESSION_COOKIE)).toBe(true);
  });

  it("redeems a code once: a second sign-in with it fails even with the original binding cookie", async () => {
    const browser = new TestBrowser(server.origin);
    const qrcodeId = await approvedCodeFor(server, browser);
    const copy = new TestBrowser(server.origin);
    copy.cookies.set("__Host-qr-login-binding", browser.cookies.get("__Host-qr-login-binding")!);

    expect((await browser.signInWithQrCode(qrcodeId)).status).toBe(200);
    expect((await copy.signInWithQrCode(qrcodeId)).status).toBe(401);
    expect(copy.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("refuses a code that was cancelled or not yet confirmed", async () => {
    const browser = new TestBrowser(server.origin);
    const html = await (await browser.fetch("/login")).text();
    const qrcodeId = /data-qrcode-id="([^"]+)"/.exec(html)![1]!;
    expect((await browser.signInWithQrCode(qrcodeId)).status).toBe(401);
    const phone = new TestPhone(server.origin);
    await phone.signIn("bob");
    await phone.setStatus(qrcodeId, "SCAN");
    expect((await browser.signInWithQrCode(qrcodeId)).status).toBe(401);
    await phone.setStatus(qrcodeId, "CANCEL");
    expect((await browser.signInWithQrCode(qrcodeId)).status).toBe(401);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("revokes the refresh token and the access token on sign-out", async () => {
    const browser = new TestBrowser(server.origin);
    await browser.signInWithQrCode(await approvedCodeFor(server, browser));
    const { refreshToken, accessToken } = await sessionJwt(browser);
    const client = clientFor(server);
    expect(await client.getUserInfo(accessToken!)).toMatchObject({ name: "Alice Chen" });

    const { body } = await browser.json<{ csrfToken: string }>("/api/auth/csrf");
    const signOut = await browser.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: body.csrfToken, callbackUrl: `${server.origin}/`, json: "true" }),
    });
    expect(signOut.status).toBe(200);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await browser.session()).toEqual({});

    const refusal = await client.refreshTokens(refreshToken!).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OAuthError);
    // The access token is refused everywhere the provider reads one, as an invalid token is.
    expect(await client.getUserInfo(accessToken!).catch((error: unknown) => error)).toMatchObject({ error: "invalid_token", httpStatus: 401 });
    expect(await client.getProfile(accessToken!).catch((error: unknown) => error)).toMatchObject({ statusCode: 401, apiCode: apiCodes.invalidUserToken });
    const { qrcodeId } = await client.geneQrCode({});
    expect(await client.setQrCodeStatus(accessToken!, qrcodeId, "SCAN").catch((error: unknown) => error)).toMatchObject({
      statusCode: 401,
      apiCode: apiCodes.invalidUserToken,
    });
    expect(await client.getQrCodeStatus(qrcodeId)).toEqual({ status: "PENDING" });
  });

  it("ends the session on sign-out: a copy of its cookie replayed afterwards opens nothing", async () => {
    const browser = new TestBrowser(server.origin);
    await browser.signInWithQrCode(await approvedCodeFor(server, browser));
    const { sid } = await sessionJwt(browser);
    expect(sid).toEqual(expect.stringMatching(/^[\w-]{22}$/));
    const copy = browser.cookieHeader();
    const replay = (path: string) => fetch(`${server.origin}${path}`, { headers: { cookie: copy }, redirect: "manual" });
    expect((await replay("/account")).status).toBe(200);
    expect(await (await replay("/api/auth/session")).json()).toMatchObject({ user: { name: "Alice Chen" } });

    expect((await browser.signOut()).status).toBe(200);

    const account = await replay("/account");
    expect(account.status).toBe(307);
    expect(new URL(account.headers.get("location")!, server.origin).pathname).toBe("/login");
    // The replayed cookie is deleted, as a Secure cookie (or a browser would keep it).
    const deletion = account.headers.getSetCookie().find((header) => header.startsWith(`${SESSION_COOKIE}=`));
    expect(deletion).toMatch(/Max-Age=0/i);
    expect(deletion).toMatch(/Secure/i);
    expect(await (await replay("/api/auth/session")).json()).toEqual({});
    // Pages that read the session with getServerSession: the home page and the login page.
    const home = await (await replay("/")).text();
    expect(home).not.toContain("Signed in as");
    expect(home).toContain('href="/login"');
    const login = await replay("/login?callbackUrl=%2Faccount");
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("data-qrcode-id=");
    // A new sign-in is a new session, untouched by the old one's end.
    const again = new TestBrowser(server.origin);
    await again.signInWithQrCode(await approvedCodeFor(server, again));
    expect((await sessionJwt(again)).sid).not.toBe(sid);
    expect((await again.fetch("/account")).status).toBe(200);
  });

  it("does not honour a session cookie without a session id (made before sessions had ids)", async () => {
    const browser = new TestBrowser(server.origin);
    await browser.signInWithQrCode(await approvedCodeFor(server, browser));
    const withoutId = Object.fromEntries(Object.entries(await sessionJwt(browser)).filter(([claim]) => claim !== "sid"));
    const forged = await encode({ token: withoutId, secret: testApp.nextAuthSecret });
    const replay = (path: string) => fetch(`${server.origin}${path}`, { headers: { cookie: `${SESSION_COOKIE}=${forged}` }, redirect: "manual" });
    expect((await replay("/account")).status).toBe(307);
    expect(await (await replay("/api/auth/session")).json()).toEqual({});
  });

  it("holds a code confirmed by another account than the browser's last until the browser continues or refuses (no silent session swap)", async () => {
    const victim = new TestBrowser(server.origin);
    // One phone each, signed in once: phone sign-ins are rate-limited per address.
    const [alice, bob] = [new TestPhone(server.origin), new TestPhone(server.origin)];
    await alice.signIn("alice");
    await bob.signIn("bob");
    const approvedBy = async (phone: TestPhone) => {
      const qrcodeId = await codeOn(victim);
      await phone.approve(qrcodeId);
      return qrcodeId;
    };
    // This browser last signed in as alice (its first sign-in asked once; TestBrowser continued).
    const first = await victim.signInWithQrCode(await approvedBy(alice));
    const lastAccount = victim.cookies.get("__Host-qr-login-last-account");
    const remembered = first.headers.getSetCookie().map(parseSetCookie).find((cookie) => cookie.name === "__Host-qr-login-last-account");
    expect(remembered?.attributes).toMatchObject({ httponly: true, secure: true, samesite: "strict", path: "/", "max-age": String(365 * 24 * 60 * 60) });
    expect(lastAccount).not.toContain("alice");
    await victim.signOut();
    expect(await victim.session()).toEqual({});

    // Bob confirms the victim's code: the ticket is redeemed, but nothing is signed in.
    const attacked = await approvedBy(bob);
    const held = await victim.signInWithQrCode(attacked, { continueHeld: false });
    expect(await isHeldForAccount(held.clone())).toBe(true);
    expect(victim.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await victim.session()).toEqual({});
    const heldCookie = held.headers.getSetCookie().map(parseSetCookie).find((cookie) => cookie.name === "__Host-qr-login-held-sign-in");
    expect(heldCookie?.attributes).toMatchObject({ httponly: true, secure: true, samesite: "strict", path: "/" });
    // The page learns who it is from the id_token (a display name alone could be copied), never a token.
    const shown = await victim.json<{ qrcodeId: string; account: Record<string, unknown> }>("/api/qr-login/held-sign-in");
    expect(shown.body).toEqual({ qrcodeId: attacked, account: { name: "Bob Li", email: "bob@example.com", photo: expect.any(String) } });
    const bobTokens = decodeHeldSignIn(victim.cookies.get("__Host-qr-login-held-sign-in"), heldSignInKey(testApp.nextAuthSecret), Date.now())!.tokens;
    expect(bobTokens.idTokenClaims.name).toBe("Bob Li");
    // Continuing needs this code and NextAuth's CSRF token (a cross-site form has neither).
    await victim.postQrSignIn({ qrcodeId: "b".repeat(32), account: "continue" });
    expect(await victim.session()).toEqual({});
    await victim.fetch("/api/auth/callback/qrcode", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ qrcodeId: attacked, account: "continue", json: "true" }),
    });
    expect(await victim.session()).toEqual({});
    // Another browser cannot take what is held in this one.
    const other = new TestBrowser(server.origin);
    expect((await other.json("/api/qr-login/held-sign-in")).status).toBe(404);

    // "Not me": dropped, and Bob's tokens revoked at the provider.
    const client = clientFor(server);
    expect((await client.getUserInfo(bobTokens.accessToken)).sub).toBe(bobTokens.idTokenClaims.sub);
    const refused = await victim.json<{ refused: boolean }>("/api/qr-login/held-sign-in", { method: "DELETE" });
    expect(refused.body).toEqual({ refused: true });
    expect(victim.cookies.has("__Host-qr-login-held-sign-in")).toBe(false);
    await expect(client.getUserInfo(bobTokens.accessToken)).rejects.toThrow();
    expect((await victim.json("/api/qr-login/held-sign-in")).status).toBe(404);
    expect(await victim.session()).toEqual({});
    expect(victim.cookies.get("__Host-qr-login-last-account")).toBe(lastAccount);

    // The same when bob's phone speaks Authing's V2 API (what its phone SDKs send): the check
    // reads the account from the exchanged ticket, not from the phone's request.
    const viaV2 = await codeOn(victim);
    for (const action of ["scanned", "confirm"] as const) {
      const answer = await phoneV2(server, action, viaV2, `Bearer ${bob.accessToken}`, { "x-authing-app-id": testApp.id, "content-type": "application/json" });
      expect(answer.body.code, action).toBe(200);
    }
    expect(await isHeldForAccount(await victim.signInWithQrCode(viaV2, { continueHeld: false }))).toBe(true);
    expect(await victim.session()).toEqual({});
    expect((await victim.json<{ account: { name: string } }>("/api/qr-login/held-sign-in")).body.account.name).toBe("Bob Li");
    await victim.json("/api/qr-login/held-sign-in", { method: "DELETE" });

    // Alice, this browser's last account, signs in without being asked.
    const honest = await victim.signInWithQrCode(await approvedBy(alice), { continueHeld: false });
    expect(await isHeldForAccount(honest)).toBe(false);
    expect(((await victim.session()) as { user: { name: string } }).user.name).toBe("Alice Chen");
    await victim.signOut();

    // Bob, continued once on purpose, is this browser's last account from then on.
    const chosen = await approvedBy(bob);
    expect(await isHeldForAccount(await victim.signInWithQrCode(chosen, { continueHeld: false }))).toBe(true);
    const continued = await victim.postQrSignIn({ qrcodeId: chosen, account: "continue" });
    expect(continued.status).toBe(200);
    expect(((await victim.session()) as { user: { name: string } }).user.name).toBe("Bob Li");
    expect(victim.cookies.has("__Host-qr-login-held-sign-in")).toBe(false);
    // What was held is used once.
    await victim.signOut();
    await victim.postQrSignIn({ qrcodeId: chosen, account: "continue" });
    expect(await victim.session()).toEqual({});
    await victim.signInWithQrCode(await approvedBy(bob), { continueHeld: false });
    expect(((await victim.session()) as { user: { name: string } }).user.name).toBe("Bob Li");
  });

  it("writes NextAuth's own errors as JSON log lines, and nothing a visitor posts to NextAuth's /_log", async () => {
    const start = server.output().length;
    const browser = new TestBrowser(server.origin);
    browser.cookies.set(SESSION_COOKIE, "not-a-session-token");
    expect(await (await browser.fetch("/api/auth/session")).json()).toEqual({});
    // What NextAuth's browser side sends (a beacon, form-encoded); with a logger configured NextAuth would write it.
    const forged = await fetch(`${server.origin}/api/auth/_log`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ level: "error", code: "FORGED_BY_A_VISITOR", message: "forged line" }),
    });
    expect(forged.status).toBe(200);
    expect(await forged.json()).toEqual({});
    const lines = () =>
      server
        .output()
        .slice(start)
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    await expect.poll(lines).toContainEqual(expect.objectContaining({ level: "error", event: "auth.nextauth_error", code: "JWT_SESSION_ERROR" }));
    expect(server.output().slice(start)).not.toContain("FORGED_BY_A_VISITOR");
    expect(server.output().slice(start)).not.toContain("[next-auth]");
  });

  it("sends a signed-out browser from /account to /login, and / offers the way in", async () => {
    const browser = new TestBrowser(server.origin);
    const account = await browser.fetch("/account");
    expect(account.status).toBe(307);
    expect(new URL(account.headers.get("location")!, server.origin).pathname).toBe("/login");
    const home = await (await browser.fetch("/")).text();
    expect(home).toContain('href="/login"');
    expect(home).not.toContain("Signed in as");
  });

  // Last in this block: it uses up the shared address's budget of failed client authentications.
});

// A server of its own: the test spends its one address's budget of failed client authentications,
// and the phone sign-ins of the tests above have spent much of alice's sign-in budget.
describe("failed client authentication against the app's own calls", () => {
  // On a test clock, so that the 201 tries below fall in one minute's window however slow the
  // machine (a window passing mid-loop would allow more than the budget).
  const clock = testClock();
  afterAll(() => clock.remove());
  const server = sharedAppServer(clock.env);

  it("an attacker's wrong app secrets refuse their address, the right secret too, but never the app's own calls, in process", async () => {
    const phone = new TestPhone(server.origin);
    await phone.signIn("alice");
    // No trusted proxy here: every client over HTTP is the one address "unknown" (ten times the budget of 20).
    const token = (secret: string) =>
      fetch(`${server.origin}/oidc/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", client_id: testApp.id, client_secret: secret }),
      });
    const statuses = [];
    clock.startFreshWindow();
    for (let attempt = 0; attempt < 201; attempt++) statuses.push((await token(`guess-${attempt}`)).status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(200);
    expect(statuses.at(-1)).toBe(429);
    expect((await token(testApp.secret)).status).toBe(429);
    // The app exchanges the ticket, reads the profile and revokes on sign-out in process: a browser signs in and out.
    const browser = new TestBrowser(server.origin);
    const html = await (await browser.fetch("/login")).text();
    const qrcodeId = /data-qrcode-id="([^"]+)"/.exec(html)![1]!;
    await phone.approve(qrcodeId);
    expect((await browser.signInWithQrCode(qrcodeId)).status).toBe(200);
    expect((await (await browser.fetch("/api/auth/session")).json()) as object).toMatchObject({ user: { name: "Alice Chen" } });
    expect((await browser.signOut()).status).toBe(200);
  });
});

describe("a session whose access token expires (on a test clock)", () => {
  const clock = testClock();
  afterAll(() => clock.remove());
  // The longest reuse interval there is (60 s), so a slow machine never outlasts it by accident.
  const server = sharedAppServer({ ACCESS_TOKEN_TTL_SECONDS: "10", REFRESH_TOKEN_REUSE_INTERVAL_SECONDS: "60", ...clock.env });

  it("keeps working: the token is refreshed, the refresh token rotates, and parallel requests share one refresh", async () => {
    const browser = new TestBrowser(server.origin);
    await browser.signInWithQrCode(await approvedCodeFor(server, browser));
    const before = await sessionJwt(browser);
    expect(before.accessTokenExpiresAt! - clock.now()).toBeLessThanOrEqual(10_000);

    // Move the servers' clock past the access token's expiry.
    clock.advance(Math.max(0, before.accessTokenExpiresAt! - clock.now()) + 1_000);
    const expired = await clientFor(server).getUserInfo(before.accessToken!).catch((error: unknown) => error);
    expect(expired).toBeInstanceOf(OAuthError);

    // Two requests of one browser at once, with the same (stale) cookie.
    const cookie = browser.cookieHeader();
    const [first, second] = await Promise.all(
      [0, 1].map(() => fetch(`${server.origin}/account`, { headers: { cookie }, redirect: "manual" })),
    );
    for (const response of [first!, second!]) {
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("alice@example.com");
    }
    await browser.fetch("/account");

    const after = await sessionJwt(browser);
    expect(after.error).toBeUndefined();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessTokenExpiresAt!).toBeGreaterThan(clock.now());
    expect(await browser.session()).toMatchObject({ user: { name: "Alice Chen" } });

    // The rotated-out refresh token, replayed within the reuse interval (60 s here), is a racing
    // twin (another instance, a request that left before the new cookie came) and gets a successor...
    const raced = await clientFor(server).refreshTokens(before.refreshToken!);
    expect(raced.refresh_token).not.toBe(after.refreshToken);
    // ...after it, it is theft: refused, and its family with it.
    clock.advance(61_000);
    const reuse = await clientFor(server).refreshTokens(before.refreshToken!).catch((error: unknown) => error);
    expect(reuse).toBeInstanceOf(OAuthError);
    const sibling = await clientFor(server).refreshTokens(raced.refresh_token!).catch((error: unknown) => error);
    expect(sibling).toBeInstanceOf(OAuthError);
  });
});
