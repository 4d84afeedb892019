import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

import {
  addBinding,
  bindingKey,
  BINDING_GRACE_MS,
  decodeBindings,
  encodeBindings,
  MAX_BOUND_CODES,
  newestLiveBinding,
  removeBinding,
  type QrCodeBinding,
} from "@/lib/qr-login/client/flow/binding-cookie";

const key = bindingKey("a-nextauth-secret-of-at-least-32-characters");
const now = 1_800_000_000_000;
const code = (id: string, expiresAt = now + 120_000): QrCodeBinding => ({
  qrcodeId: id,
  imageUrl: `http://localhost/api/v3/qrcode-image?qrcodeId=${id}`,
  expiresAt,
});

describe("binding cookie", () => {
  it("round-trips the codes it signed", () => {
    const value = encodeBindings([code("aaaa"), code("bbbb")], key);
    expect(decodeBindings(value, key, now)).toEqual([code("aaaa"), code("bbbb")]);
  });

  it("vouches for nothing when tampered with, forged or signed with another key", () => {
    const value = encodeBindings([code("aaaa")], key);
    const [body, signature] = value.split(".") as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ v: 2, codes: [code("evil")] })).toString("base64url");
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;

    expect(decodeBindings(`${forgedBody}.${signature}`, key, now)).toEqual([]);
    expect(decodeBindings(`${body}.${flipped}`, key, now)).toEqual([]);
    expect(decodeBindings(`${body}.`, key, now)).toEqual([]);
    expect(decodeBindings(body, key, now)).toEqual([]);
    expect(decodeBindings("garbage", key, now)).toEqual([]);
    expect(decodeBindings(value, bindingKey("another-secret-of-at-least-32-characters!"), now)).toEqual([]);
  });

  it("derives a key for this purpose only (not the raw secret)", () => {
    const secret = "a-nextauth-secret-of-at-least-32-characters";
    expect(bindingKey(secret).equals(Buffer.from(secret))).toBe(false);
    expect(bindingKey(secret)).toHaveLength(32);
  });

  it("drops codes once they are expired past the grace period", () => {
    const value = encodeBindings([code("live"), code("stale", now - BINDING_GRACE_MS - 1), code("grace", now - 1_000)], key);
    expect(decodeBindings(value, key, now).map((binding) => binding.qrcodeId)).toEqual(["live", "grace"]);
    // In the grace period a code is still vouched for but no longer shown.
    expect(newestLiveBinding([code("grace", now - 1_000), code("live")], now)?.qrcodeId).toBe("live");
  });

  it("keeps the newest codes first and at most three, so tabs do not evict each other", () => {
    let bindings: QrCodeBinding[] = [];
    for (const id of ["c1", "c2", "c3", "c4"]) bindings = addBinding(bindings, code(id), now);
    expect(bindings.map((binding) => binding.qrcodeId)).toEqual(["c4", "c3", "c2"]);
    expect(bindings).toHaveLength(MAX_BOUND_CODES);

    const withStale = addBinding([code("old", now - BINDING_GRACE_MS - 5), code("c1")], code("c5"), now);
    expect(withStale.map((binding) => binding.qrcodeId)).toEqual(["c5", "c1"]);
    expect(removeBinding(withStale, "c5").map((binding) => binding.qrcodeId)).toEqual(["c1"]);
  });

  it("refuses a cookie that lists more codes than it may hold, even when correctly sealed", () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from("qr-login binding cookie v2"));
    const payload = JSON.stringify({ v: 2, codes: ["a", "b", "c", "d"].map((id) => code(id)) });
    const sealed = Buffer.concat([iv, cipher.update(payload, "utf8"), cipher.final()]);
    const value = `${sealed.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
    expect(decodeBindings(value, key, now)).toEqual([]);
  });

  it("keeps each code's poll secret unreadable to the browser that holds the cookie", () => {
    const pollSecret = "poll-secret-0123456789abcdefghijklmnop";
    const value = encodeBindings([{ ...code("aaaa"), pollSecret }], key);
    expect(value).not.toContain(pollSecret);
    expect(Buffer.from(value.split(".")[0]!, "base64url").toString("latin1")).not.toContain(pollSecret);
    expect(decodeBindings(value, key, now)[0]?.pollSecret).toBe(pollSecret);
  });
});
