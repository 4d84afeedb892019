import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Real Authing configured: the companion is switched off. Nothing listens on port 9.
beforeAll(() => {
  vi.stubEnv("AUTHING_APP_HOST", "http://127.0.0.1:9");
  vi.stubEnv("AUTHING_APP_ID", "companion-off-app");
  vi.stubEnv("AUTHING_APP_SECRET", "companion-off-secret-0123456789");
  vi.stubEnv("NEXTAUTH_SECRET", "companion-off-nextauth-secret-0123456789");
});
afterAll(() => vi.unstubAllEnvs());

const notFound = { digest: "NEXT_HTTP_ERROR_FALLBACK;404" };
const qrcodeId = "0123456789abcdef0123456789abcdef";

describe("the companion's server actions against real Authing (AUTHING_APP_HOST set)", () => {
  // An action runs before the page's layout (and its notFound()) renders, and can be posted to
  // any page of the companion: in an app whose proxy does not switch /m off (the registry's),
  // only the action itself can refuse. This app's proxy also answers 404 first
  // (app/(provider)/switched-off.int.test.ts).
  it("each refuses with a 404 before it does anything else", async () => {
    const actions = await import("./actions");
    const form = new FormData();
    form.set("username", "alice");
    form.set("password", "scan-me-in");
    // Outside a request, anything an action did first (read the language from the headers, the
    // cookies, call the provider) would throw something else than the 404.
    await expect(actions.signInAction({}, form)).rejects.toMatchObject(notFound);
    await expect(actions.signOutAction()).rejects.toMatchObject(notFound);
    await expect(actions.scanAction(qrcodeId)).rejects.toMatchObject(notFound);
    await expect(actions.scanIntentAction(qrcodeId)).rejects.toMatchObject(notFound);
    await expect(actions.decideAction(qrcodeId, "CONFIRM")).rejects.toMatchObject(notFound);
    await expect(actions.codeFateAction(qrcodeId)).rejects.toMatchObject(notFound);
    await expect(actions.passkeySignInOptionsAction()).rejects.toMatchObject(notFound);
    await expect(actions.passkeySignInAction({}, undefined)).rejects.toMatchObject(notFound);
    await expect(actions.passkeyRegistrationOptionsAction()).rejects.toMatchObject(notFound);
    await expect(actions.addPasskeyAction({})).rejects.toMatchObject(notFound);
    await expect(actions.removePasskeyAction("x")).rejects.toMatchObject(notFound);
    await expect(actions.passkeyConfirmOptionsAction(qrcodeId)).rejects.toMatchObject(notFound);
    expect(Object.keys(actions).sort()).toEqual([
      "addPasskeyAction",
      "codeFateAction",
      "decideAction",
      "passkeyConfirmOptionsAction",
      "passkeyRegistrationOptionsAction",
      "passkeySignInAction",
      "passkeySignInOptionsAction",
      "removePasskeyAction",
      "scanAction",
      "scanIntentAction",
      "signInAction",
      "signOutAction",
    ]);
  });
});
