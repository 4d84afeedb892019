import { describe, expect, it } from "vitest";

import {
  checkAccount,
  decodeHeldSignIn,
  decodeLastAccount,
  encodeHeldSignIn,
  encodeLastAccount,
  heldAccountOf,
  heldSignInKey,
  lastAccountKey,
  type HeldSignIn,
} from "@/lib/qr-login/client/flow/account-check";
import { bindingKey, encodeBindings } from "@/lib/qr-login/client/flow/binding-cookie";

const secret = "a-nextauth-secret-of-at-least-32-characters";
const now = 1_800_000_000_000;
const qrcodeId = "a".repeat(32);
const held = (overrides: Partial<HeldSignIn> = {}): HeldSignIn => ({
  qrcodeId,
  heldUntil: now + 300_000,
  tokens: {
    accessToken: "access.token.value",
    refreshToken: "refresh-token",
    accessTokenExpiresAt: now + 3_600_000,
    accessTokenRefreshAt: now + 3_540_000,
    idTokenClaims: { iss: "https://issuer", aud: "app", sub: "bob-id", iat: 1, exp: 2, name: "Bob Li", email: "bob@example.com", picture: null },
  },
  ...overrides,
});

describe("checkAccount: whether a code's account signs this browser in without asking", () => {
  it("signs in the account this browser last signed in with, and asks for any other", () => {
    expect(checkAccount("alice-id", "alice-id")).toBe("sign-in");
    expect(checkAccount("bob-id", "alice-id")).toBe("ask");
  });

  it("asks on this browser's first sign-in (no account remembered)", () => {
    expect(checkAccount("alice-id", undefined)).toBe("ask");
  });
});

describe("the last-account cookie", () => {
  const key = lastAccountKey(secret);

  it("names the account it was sealed for, unreadable to the browser", () => {
    const value = encodeLastAccount("alice-id", key);
    expect(decodeLastAccount(value, key)).toBe("alice-id");
    expect(value).not.toContain("alice-id");
    expect(Buffer.from(value.split(".")[0]!, "base64url").toString("latin1")).not.toContain("alice-id");
  });

  it("names nobody when missing, forged, tampered with, sealed with another secret, or another cookie of ours", () => {
    const value = encodeLastAccount("alice-id", key);
    const [body, tag] = value.split(".") as [string, string];
    const forged = `${Buffer.from(JSON.stringify({ v: 1, sub: "bob-id" })).toString("base64url")}.${tag}`;
    const flipped = `${body.slice(0, -2)}${body.endsWith("AA") ? "BB" : "AA"}.${tag}`;
    expect(decodeLastAccount(undefined, key)).toBeUndefined();
    expect(decodeLastAccount(forged, key)).toBeUndefined();
    expect(decodeLastAccount(flipped, key)).toBeUndefined();
    expect(decodeLastAccount("garbage", key)).toBeUndefined();
    expect(decodeLastAccount(encodeLastAccount("alice-id", lastAccountKey(`${secret}-other`)), key)).toBeUndefined();
    // The same secret seals the binding cookie and held sign-ins: neither passes for this one.
    expect(decodeLastAccount(encodeBindings([], bindingKey(secret)), key)).toBeUndefined();
    expect(decodeLastAccount(encodeHeldSignIn(held(), heldSignInKey(secret)), key)).toBeUndefined();
  });
});

describe("the held sign-in cookie", () => {
  const key = heldSignInKey(secret);

  it("gives back the tokens held for its code, until its time is up", () => {
    const value = encodeHeldSignIn(held(), key)!;
    expect(decodeHeldSignIn(value, key, now, qrcodeId)).toEqual(held());
    expect(decodeHeldSignIn(value, key, now)).toEqual(held());
    expect(decodeHeldSignIn(value, key, now + 300_000, qrcodeId)).toBeUndefined();
    expect(value).not.toContain("refresh-token");
  });

  it("gives nothing for another code, a forged or tampered value, or another key", () => {
    const value = encodeHeldSignIn(held(), key)!;
    const [body, tag] = value.split(".") as [string, string];
    expect(decodeHeldSignIn(value, key, now, "b".repeat(32))).toBeUndefined();
    expect(decodeHeldSignIn(`${body}.${tag.slice(0, -2)}${tag.endsWith("AA") ? "BB" : "AA"}`, key, now)).toBeUndefined();
    expect(decodeHeldSignIn(value, heldSignInKey(`${secret}-other`), now)).toBeUndefined();
    expect(decodeHeldSignIn(encodeLastAccount("bob-id", lastAccountKey(secret)), key, now)).toBeUndefined();
  });

  it("refuses to seal what a browser would not keep (over 4 KB)", () => {
    const big = held();
    big.tokens.accessToken = "x".repeat(3_000);
    expect(encodeHeldSignIn(big, key)).toBeUndefined();
  });

  it("shows the browser who is held (the id_token's name, email and photo), never a token", () => {
    expect(heldAccountOf(held())).toEqual({ name: "Bob Li", email: "bob@example.com", photo: null });
    const nameless = held();
    nameless.tokens.idTokenClaims = { ...nameless.tokens.idTokenClaims, name: null, nickname: "bobby" };
    expect(heldAccountOf(nameless).name).toBe("bobby");
  });
});
