import { describe, expect, it } from "vitest";

import { clientAddressOf, plainIp, requestOriginOf } from "@/lib/qr-login/platform/forwarded-headers";

const headers = (values: Record<string, string>) => new Headers(values);
const direct = { hops: 0, vercel: false };
const oneProxy = { hops: 1, vercel: false };
const twoProxies = { hops: 2, vercel: false };

describe("clientAddressOf", () => {
  it("trusts no forwarded header when no proxy is trusted: the address is unknown", () => {
    expect(clientAddressOf(headers({ "x-forwarded-for": "203.0.113.7" }), direct)).toBeUndefined();
    expect(clientAddressOf(headers({ "x-real-ip": "203.0.113.7" }), direct)).toBeUndefined();
  });

  it("takes the N-th entry from the right with N trusted hops, whatever the client wrote before it", () => {
    const forwarded = headers({ "x-forwarded-for": "127.0.0.1, 198.51.100.1, 203.0.113.7" });
    expect(clientAddressOf(forwarded, oneProxy)).toBe("203.0.113.7");
    expect(clientAddressOf(forwarded, twoProxies)).toBe("198.51.100.1");
    expect(clientAddressOf(headers({ "x-forwarded-for": "203.0.113.7" }), twoProxies)).toBeUndefined();
  });

  it("refuses an entry that is not an address", () => {
    expect(clientAddressOf(headers({ "x-forwarded-for": "x" }), oneProxy)).toBeUndefined();
    expect(clientAddressOf(headers({ "x-forwarded-for": "203.0.113.7, " }), oneProxy)).toBeUndefined();
    expect(clientAddressOf(headers({}), oneProxy)).toBeUndefined();
  });

  it("on Vercel reads Vercel's own headers, never X-Forwarded-For", () => {
    const vercel = { hops: 0, vercel: true };
    expect(clientAddressOf(headers({ "x-real-ip": "203.0.113.7", "x-forwarded-for": "127.0.0.1" }), vercel)).toBe("203.0.113.7");
    expect(clientAddressOf(headers({ "x-vercel-forwarded-for": "2001:db8::1" }), vercel)).toBe("2001:db8::1");
    expect(clientAddressOf(headers({ "x-forwarded-for": "203.0.113.7" }), vercel)).toBeUndefined();
  });
});

describe("plainIp", () => {
  it("reads the forms proxies write", () => {
    expect(plainIp("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(plainIp("203.0.113.7:5000")).toBe("203.0.113.7");
    expect(plainIp("::FFFF:10.0.0.1")).toBe("10.0.0.1");
    expect(plainIp("unknown")).toBeUndefined();
  });
});

describe("requestOriginOf", () => {
  const url = new URL("http://127.0.0.1:3000/login");
  const forwarded = headers({ host: "app.example.com", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });

  it("lets X-Forwarded-Host/-Proto decide only when a trusted proxy set them", () => {
    expect(requestOriginOf(forwarded, url, true)).toEqual({ proto: "https", host: "evil.example" });
    expect(requestOriginOf(forwarded, url, false)).toEqual({ proto: "http", host: "app.example.com" });
    expect(requestOriginOf(forwarded, new URL("https://127.0.0.1/"), false, "http").proto).toBe("http");
  });

  it("never takes a host that could smuggle in a path", () => {
    expect(requestOriginOf(headers({ host: "a.example/evil" }), url, false).host).toBe("127.0.0.1:3000");
  });
});
