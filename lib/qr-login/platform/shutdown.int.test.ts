import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { startAppServer, type AppServer } from "@/test-support/app-server";
import { waitsHeld } from "@/test-support/metrics";
import { sharedRedisServer } from "@/test-support/shared-redis-server";

/** A login page from its own address (behind the trusted proxy hop), so per-address limits stay out of the way. */
class AddressedBrowser extends TestBrowser {
  constructor(
    origin: string,
    readonly address: string,
  ) {
    super(origin);
  }

  override fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-for", this.address);
    return super.fetch(path, { ...init, headers });
  }

  /** The same page, its cookies and address, talking to another instance. */
  on(origin: string): AddressedBrowser {
    const moved = new AddressedBrowser(origin, this.address);
    for (const [name, value] of this.cookies) moved.cookies.set(name, value);
    return moved;
  }
}

const WAITS = 200;
const METRICS_TOKEN = "metrics-token-for-the-shutdown-test";

const redis = sharedRedisServer();
let first: AppServer;
let second: AppServer;

beforeAll(async () => {
  const env = () => ({ REDIS_URL: redis.url, TRUSTED_PROXY_HOPS: "1", SEED_DEMO_USERS: "true", METRICS_TOKEN });
  [first, second] = await Promise.all([startAppServer(env()), startAppServer(env())]);
});
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});

async function newCode(browser: TestBrowser): Promise<string> {
  const created = await browser.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST" });
  expect(created.status).toBe(201);
  return created.body.qrcodeId;
}

const count = (output: string, event: string, qrcodeId: string) =>
  output.split("\n").filter((line) => line.includes(`"event":"${event}"`) && line.includes(qrcodeId)).length;

describe("SIGTERM (a deploy) with two instances sharing Redis", () => {
  it("answers every held wait at once, finishes or hands over the redemption in flight, and exits by itself", async () => {
    const pages = Array.from({ length: WAITS }, (_, i) => new AddressedBrowser(first.origin, `10.9.${i >> 8}.${i & 255}`));
    // Twenty codes at a time: two hundred at once queue in one server past its own timeouts (the
    // call to the provider, Redis) when the machine is busy, and answer 503 before the test begins.
    const codes: string[] = [];
    for (let start = 0; start < WAITS; start += 20) codes.push(...(await Promise.all(pages.slice(start, start + 20).map(newCode))));

    // A page whose code the phone has confirmed, about to sign in as SIGTERM arrives. Its browser
    // signed in as alice before, so this sign-in is not held for a tap (lib/qr-login/client/flow/account-check.ts).
    const signer = new AddressedBrowser(first.origin, "10.8.0.1");
    const phone = new TestPhone(first.origin);
    await phone.signIn();
    const earlier = await newCode(signer);
    await phone.approve(earlier);
    await signer.signInWithQrCode(earlier);
    await signer.signOut();
    const signerCode = await newCode(signer);
    await phone.approve(signerCode);

    const answers = pages.map((page, i) =>
      page
        .json<{ status: string }>(`/api/qr-login/status?qrcodeId=${codes[i]}&waitSeconds=25&knownStatus=PENDING`)
        .then(({ status, body }) => ({ status, body }), (error: unknown) => ({ status: 0, body: { error: String(error) } })),
    );
    await expect.poll(() => waitsHeld(first, METRICS_TOKEN), { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(WAITS);

    const csrf = (await signer.json<{ csrfToken: string }>("/api/auth/csrf")).body.csrfToken;
    const callback = (browser: TestBrowser) =>
      browser.fetch("/api/auth/callback/qrcode", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ qrcodeId: signerCode, csrfToken: csrf, callbackUrl: `${browser.origin}/`, json: "true" }),
      });
    const inFlight = callback(signer).then((response) => response.status, () => "dropped" as const);
    const exit = await first.terminate(20_000);

    // Exited by itself (Next's 143), well before the 25 s the waits would otherwise have lasted.
    expect(exit).toMatchObject({ killed: false, code: 143 });
    const answered = await Promise.all(answers);
    expect(answered.filter((answer) => answer.status !== 200)).toEqual([]);
    for (const answer of answered) expect(answer.body).toEqual(expect.objectContaining({ status: "PENDING" }));
    const drained = first.output().split("\n").find((line) => line.includes('"event":"shutdown.draining"'));
    expect(JSON.parse(drained ?? "{}").held).toBeGreaterThanOrEqual(WAITS);

    // The redemption either finished on the first instance or never reached it; then the page
    // tries again on the second. Either way, exactly one redemption and one signed-in browser.
    const firstTry = await inFlight;
    if (firstTry === "dropped") {
      const moved = signer.on(second.origin);
      expect((await callback(moved)).status).toBe(200);
      for (const [name, value] of moved.cookies) signer.cookies.set(name, value);
    } else {
      expect(firstTry).toBe(200);
    }
    const session = await signer.on(second.origin).session();
    expect(session.user).toMatchObject({ name: "Alice Chen" });
    const both = first.output() + second.output();
    expect(count(both, "ticket.redeemed", signerCode)).toBe(1);
    expect(count(both, "signed_in", signerCode)).toBe(1);

    // Every page asks again and the second instance answers it.
    const again = await Promise.all(pages.map((page, i) => page.on(second.origin).json<{ status: string }>(`/api/qr-login/status?qrcodeId=${codes[i]}`)));
    expect(again.filter((answer) => answer.status !== 200 || answer.body.status !== "PENDING")).toEqual([]);
  }, 120_000);
});
