import { describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

type Envelope<T> = { statusCode: number; data: T };
type StatusData = { status: string; ticket?: string; briefUserInfo?: { displayName: string } };

const server = sharedAppServer({ SEED_DEMO_USERS: "true" });

async function v3<T>(path: string, init: RequestInit = {}): Promise<Envelope<T>> {
  const response = await fetch(`${server.origin}${path}`, {
    ...init,
    headers: { "x-authing-app-id": testApp.id, "content-type": "application/json", ...init.headers },
  });
  return (await response.json()) as Envelope<T>;
}

const geneQrCode = (body: Record<string, unknown>) =>
  v3<{ qrcodeId: string; pollSecret?: string }>("/api/v3/gene-qrcode", { method: "POST", body: JSON.stringify({ type: "MOBILE_APP", ...body }) });
const statusOf = (qrcodeId: string, pollSecret?: string) =>
  v3<StatusData>(`/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, { headers: pollSecret ? { "x-qrcode-poll-secret": pollSecret } : {} });

async function phone(): Promise<TestPhone> {
  const signedIn = new TestPhone(server.origin);
  await signedIn.signIn();
  return signedIn;
}

describe("a code made withPollSecret", () => {
  it("shows its ticket and scanner only to the holder of the secret", async () => {
    const made = await geneQrCode({ withPollSecret: true });
    const { qrcodeId, pollSecret } = made.data;
    expect(pollSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await (await phone()).approve(qrcodeId);

    for (const onlooker of [undefined, "a-guessed-secret", `${pollSecret}x`]) {
      const seen = await statusOf(qrcodeId, onlooker);
      expect(seen.statusCode).toBe(200);
      expect(seen.data).toEqual({ status: "AUTHORIZED" });
    }
    const owner = await statusOf(qrcodeId, pollSecret);
    expect(owner.data).toMatchObject({ status: "AUTHORIZED", ticket: expect.any(String), briefUserInfo: { displayName: "Alice Chen" } });
  });

  it("keeps Authing's behaviour for clients that do not ask for one", async () => {
    const made = await geneQrCode({});
    expect(made.data).not.toHaveProperty("pollSecret");
    await (await phone()).approve(made.data.qrcodeId);
    expect((await statusOf(made.data.qrcodeId)).data).toMatchObject({ status: "AUTHORIZED", ticket: expect.any(String) });
  });

  it("shows no code's scanner after CANCEL, secret or not", async () => {
    const withSecret = (await geneQrCode({ withPollSecret: true })).data;
    const without = (await geneQrCode({})).data;
    const alice = await phone();
    for (const { qrcodeId } of [withSecret, without]) {
      await alice.setStatus(qrcodeId, "SCAN");
      await alice.setStatus(qrcodeId, "CANCEL");
    }
    expect((await statusOf(withSecret.qrcodeId, withSecret.pollSecret)).data).toEqual({ status: "CANCELLED" });
    expect((await statusOf(without.qrcodeId)).data).toEqual({ status: "CANCELLED" });
  });
});

describe("the app's own codes", () => {
  it("are made with a poll secret: an onlooker polling publicly gets no ticket, the owner still signs in", async () => {
    const browser = new TestBrowser(server.origin);
    const created = await browser.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST" });
    const { qrcodeId } = created.body;
    expect(JSON.stringify(created.body)).not.toMatch(/pollSecret/i);
    await (await phone()).approve(qrcodeId);

    const onlooker = await statusOf(qrcodeId);
    expect(onlooker.data).toEqual({ status: "AUTHORIZED" });
    expect((await browser.signInWithQrCode(qrcodeId)).status).toBe(200);
    expect((await browser.session()).user).toMatchObject({ name: "Alice Chen" });
  });
});
