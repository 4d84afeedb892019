/**
 * Passkeys over HTTP against the test build, with real WebAuthn credentials and assertions made by
 * a software authenticator (ES256 on node:crypto): registration, listing and removal, and a CONFIRM
 * that needs an assertion with user verification bound to that code, on V3 and V2 alike.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { PASSKEY_CHALLENGES_PER_USER } from "@/lib/qr-login/provider/passkeys";
import { PROVIDER_RATE_LIMITS } from "@/lib/qr-login/provider/provider-rate-limits";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { SoftAuthenticator, type SignOptions } from "@/test-support/soft-authenticator";
import { clientAuth, geneQrCode, qrStatus, setStatus, signin, v3 } from "@/test-support/test-client";
import { flutterHeaders, USER_POOL_ID, v2 } from "@/test-support/v2-test-client";

const RP_ID = "localhost";
const ORIGIN = "https://companion.localhost";

describe("passkeys", () => {
  const server = sharedAppServer({ PASSKEY_RP_ID: RP_ID, PASSKEY_ORIGINS: ORIGIN, AUTHING_USERPOOL_ID: USER_POOL_ID });
  let alice: string;
  let bob: string;
  const phone = new SoftAuthenticator(RP_ID, ORIGIN);
  const tablet = new SoftAuthenticator(RP_ID, ORIGIN);

  const as = (token: string, path: string, body?: unknown) =>
    v3(server, path, { method: body === undefined ? "GET" : "POST", headers: { authorization: token }, body });
  const register = async (authenticator: SoftAuthenticator) => {
    const options = (await as(alice, "/api/v3/passkey-registration-options", {})).body.data;
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.rp.id).toBe(RP_ID);
    return as(alice, "/api/v3/register-passkey", { credential: authenticator.create(options) });
  };
  /** A code alice has scanned. */
  const scanned = async (token = alice) => {
    const { qrcodeId } = await geneQrCode(server, { ip: "203.0.113.9", userAgent: "Firefox" });
    expect((await setStatus(server, token, qrcodeId, "SCAN")).body.statusCode).toBe(200);
    return qrcodeId;
  };
  /** An assertion over a challenge issued for `qrcodeId`. */
  const assertionFor = async (qrcodeId: string, authenticator = phone, options: SignOptions = {}) => {
    const answer = await as(alice, "/api/v3/passkey-confirm-options", { qrcodeId });
    expect(answer.body).toMatchObject({ statusCode: 200, data: { rpId: RP_ID, userVerification: "required" } });
    return authenticator.get(answer.body.data, options);
  };
  const confirm = (qrcodeId: string, userVerification?: unknown, token = alice) =>
    as(token, "/api/v3/set-qrcode-status", { qrcodeId, action: "CONFIRM", ...(userVerification ? { userVerification } : {}) });
  const statusOf = async (qrcodeId: string) => (await qrStatus(server, qrcodeId)).body.data.status;

  beforeAll(async () => {
    alice = (await signin(server, "alice", "client_secret_post")).access_token;
    bob = (await signin(server, "bob", "client_secret_post")).access_token;
  });

  it("registers a passkey, lists it without its key, and from then on CONFIRM needs an assertion for that code", async () => {
    // Before any passkey, CONFIRM is as today.
    const plain = await scanned();
    expect((await confirm(plain)).body).toMatchObject({ statusCode: 200, data: { success: true } });

    const added = await register(phone);
    expect(added.body).toMatchObject({ statusCode: 200, data: { id: expect.any(String), transports: ["internal", "hybrid"], lastUsedAt: null } });
    const listed = (await as(alice, "/api/v3/list-passkeys")).body.data;
    expect(listed).toEqual([added.body.data]);
    expect(JSON.stringify(listed)).not.toContain("publicKey");
    // bob has none and confirms as today; his list is empty.
    expect((await as(bob, "/api/v3/list-passkeys")).body.data).toEqual([]);
    const bobs = await scanned(bob);
    expect((await confirm(bobs, undefined, bob)).body.statusCode).toBe(200);

    const qrcodeId = await scanned();
    expect((await confirm(qrcodeId)).body).toMatchObject({ statusCode: 403, apiCode: apiCodes.passkeyRequired, data: null });
    expect(await statusOf(qrcodeId)).toBe("SCANNED");
    const assertion = await assertionFor(qrcodeId);
    expect((await confirm(qrcodeId, assertion)).body).toMatchObject({ statusCode: 200, data: { success: true } });
    expect(await statusOf(qrcodeId)).toBe("AUTHORIZED");
    expect((await as(alice, "/api/v3/list-passkeys")).body.data[0].lastUsedAt).toEqual(expect.any(Number));

    // The same assertion again, for another code: its challenge is spent, and was for another code.
    const next = await scanned();
    expect((await confirm(next, assertion)).body).toMatchObject({ statusCode: 403, apiCode: apiCodes.passkeyInvalid });
    expect(await statusOf(next)).toBe("SCANNED");
  });

  it("refuses an assertion for another code, without user verification, from another site, or from a removed passkey", async () => {
    const qrcodeId = await scanned();
    const other = await scanned();
    const refused = async (userVerification: unknown, reason: RegExp) => {
      const answer = await confirm(qrcodeId, userVerification);
      expect(answer.body).toMatchObject({ statusCode: 403, apiCode: apiCodes.passkeyInvalid });
      expect(answer.body.message).toMatch(reason);
      expect(await statusOf(qrcodeId)).toBe("SCANNED");
    };
    await refused(await assertionFor(other), /another QR code/);
    await refused(await assertionFor(qrcodeId, phone, { userVerified: false }), /user could not be verified/i);
    await refused(await assertionFor(qrcodeId, phone, { origin: "https://evil.example" }), /origin/i);
    await refused(await assertionFor(qrcodeId, phone, { rpId: "evil.example" }), /RP ID/i);
    // Not a passkey at all: a malformed assertion is the caller's mistake, not a 500.
    expect((await confirm(qrcodeId, { id: "x" })).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.invalidRequest });

    // A second passkey; the first removed (a lost phone): the first's assertions no longer count.
    expect((await register(tablet)).body.statusCode).toBe(200);
    const [first] = (await as(alice, "/api/v3/list-passkeys")).body.data;
    expect((await as(bob, "/api/v3/remove-passkey", { id: first.id })).body).toMatchObject({ statusCode: 404 });
    expect((await as(alice, "/api/v3/remove-passkey", { id: first.id })).body).toMatchObject({ statusCode: 200 });
    await refused(await assertionFor(qrcodeId, phone), /does not have/);
    expect((await confirm(qrcodeId, await assertionFor(qrcodeId, tablet))).body.statusCode).toBe(200);
  });

  it("limits the challenges one user may ask for, and refuses options for a code the user has not scanned", async () => {
    const { qrcodeId } = await geneQrCode(server);
    expect((await as(bob, "/api/v3/passkey-confirm-options", { qrcodeId })).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.qrCodeWrongState });
    const answers = [];
    for (let i = 0; i < PASSKEY_CHALLENGES_PER_USER[0]!.limit; i++) answers.push((await as(bob, "/api/v3/passkey-registration-options", {})).body.statusCode);
    expect(answers.every((statusCode) => statusCode === 200)).toBe(true);
    expect((await as(bob, "/api/v3/passkey-registration-options", {})).body).toMatchObject({ statusCode: 429, apiCode: apiCodes.rateLimited });
    // Another user's budget is their own.
    expect((await as(alice, "/api/v3/passkey-confirm-options", { qrcodeId: await scanned() })).body.statusCode).toBe(200);
  });

  it("signs in with a passkey: a token set for its user, once per challenge; a passkey this site does not know is refused", async () => {
    const signInOptions = async () => (await v3(server, "/api/v3/passkey-sign-in-options", { body: {} })).body.data;
    const signInWith = (credential: unknown) => v3(server, "/api/v3/signin-by-passkey", { body: { credential, ...clientAuth("client_secret_post").body } });
    const options = await signInOptions();
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: "required" });
    expect(options.allowCredentials ?? []).toEqual([]);
    const assertion = tablet.get(options);
    const signedIn = await signInWith(assertion);
    expect(signedIn.body).toMatchObject({ statusCode: 200, data: { access_token: expect.any(String), id_token: expect.any(String) } });
    const profile = await v3(server, "/api/v3/get-profile", { method: "GET", headers: { authorization: signedIn.body.data.access_token } });
    expect(profile.body.data.username).toBe("alice");
    // Replayed; without user verification; the app secret missing; a passkey made elsewhere.
    expect((await signInWith(assertion)).body).toMatchObject({ statusCode: 403, apiCode: apiCodes.passkeyInvalid });
    expect((await signInWith(tablet.get(await signInOptions(), { userVerified: false }))).body).toMatchObject({ statusCode: 403, apiCode: apiCodes.passkeyInvalid });
    expect((await v3(server, "/api/v3/signin-by-passkey", { body: { credential: tablet.get(await signInOptions()) } })).body.statusCode).toBe(401);
    const stranger = new SoftAuthenticator(RP_ID, ORIGIN);
    stranger.create({ challenge: "x", user: { id: "someone" } });
    const unknown = await signInWith(stranger.get(await signInOptions()));
    expect(unknown.body).toMatchObject({ statusCode: 403, apiCode: apiCodes.passkeyInvalid, message: expect.stringMatching(/sign in with your password/) });
  });

  it("counts the app's sign-in options by the phone's address it names, as the phone's own requests would be", async () => {
    const forPhone = (ip?: string) =>
      v3(server, "/api/v3/passkey-sign-in-options", { body: {}, headers: { ...clientAuth("client_secret_basic").headers, ...(ip ? { "x-qr-login-client-ip": ip } : {}) } });
    const limit = PROVIDER_RATE_LIMITS.passkeySignInOptions[0]!.limit;
    const answers = [];
    for (let i = 0; i < limit; i++) answers.push((await forPhone("198.51.100.7")).body.statusCode);
    expect(answers.every((statusCode) => statusCode === 200)).toBe(true);
    expect((await forPhone("198.51.100.7")).body).toMatchObject({ statusCode: 429, apiCode: apiCodes.rateLimited });
    // Another phone has its own budget; the app naming nobody is counted as the address it calls from.
    expect((await forPhone("198.51.100.8")).body.statusCode).toBe(200);
    expect((await forPhone()).body.statusCode).toBe(200);
    // Someone without the app secret cannot name an address: counted as where they call from (this test's 127.0.0.1).
    const named = await v3(server, "/api/v3/passkey-sign-in-options", { body: {}, headers: { "x-qr-login-client-ip": "198.51.100.9" } });
    expect(named.body.statusCode).toBe(200);
  });

  it("needs the assertion on Authing's V2 confirm too, as an extra field of its body", async () => {
    const qrcodeId = await scanned();
    const confirmV2 = (userVerification?: unknown) =>
      v2(server, "qrcode/confirm", { body: { random: qrcodeId, ...(userVerification ? { userVerification } : {}) }, headers: { ...flutterHeaders, authorization: alice } });
    expect((await confirmV2()).body).toMatchObject({ message: expect.stringMatching(/^Passkey required/) });
    expect(await statusOf(qrcodeId)).toBe("SCANNED");
    expect((await confirmV2(await assertionFor(qrcodeId, tablet))).body.data).toMatchObject({ random: qrcodeId, status: 2 });
  });
});
