import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";
import type { UserRecord } from "@/lib/qr-login/provider/store/types";

import { REFRESH_TOKEN_TTL_SECONDS, type ProviderDeps } from "./deps";
import { testProviderSettings } from "../../../test-support/test-settings";
import { ProviderError } from "./errors";
import { exchangeTicket, geneQrCode, getQrCodeStatus, setQrCodeStatus } from "./qr-codes";
import { startProvider } from "./provider";
import { rotateRefreshToken } from "./tokens";

let dir: string;
let deps: ProviderDeps;
let clock: number;
let alice: UserRecord;
let bob: UserRecord;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "provider-unit-"));
  clock = Date.now();
  deps = {
    store: new SqliteStore(path.join(dir, "provider.sqlite")),
    now: () => clock,
    settings: testProviderSettings(),
  };
  await startProvider(deps, { seed: true });
  alice = (await deps.store.findUserByLogin("alice"))!;
  bob = (await deps.store.findUserByLogin("bob"))!;
});
afterEach(async () => {
  await deps.store.close();
  rmSync(dir, { recursive: true, force: true });
});

const refusedWith = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
};

describe("QR code services on a controllable clock", () => {
  it("expires a code at exactly expiresAt: scannable a millisecond before, refused at it", async () => {
    const early = await geneQrCode(deps, { type: "MOBILE_APP" }, "http://laptop:3000");
    const late = await geneQrCode(deps, { type: "MOBILE_APP" }, "http://laptop:3000");
    clock += 120_000 - 1;
    expect((await setQrCodeStatus(deps, { qrcodeId: early.qrcodeId, action: "SCAN" }, alice)).success).toBe(true);
    clock += 1;
    expect((await refusedWith(setQrCodeStatus(deps, { qrcodeId: late.qrcodeId, action: "SCAN" }, alice))).apiCode).toBe(apiCodes.qrCodeExpired);
    expect((await refusedWith(setQrCodeStatus(deps, { qrcodeId: early.qrcodeId, action: "CONFIRM" }, alice))).apiCode).toBe(apiCodes.qrCodeExpired);
    expect(await getQrCodeStatus(deps, early.qrcodeId)).toEqual({ status: "EXPIRED" });
  });

  it("encodes the companion page on the request's origin and hides the ticket once it expires", async () => {
    const { qrcodeId, url } = await geneQrCode(deps, { type: "MOBILE_APP" }, "https://laptop.example:8443");
    expect(url).toBe(`https://laptop.example:8443/api/v3/qrcode-image?qrcodeId=${qrcodeId}`);
    expect((await deps.store.findQrCode(qrcodeId))?.content).toBe(`https://laptop.example:8443/m/scan/${qrcodeId}`);
    await setQrCodeStatus(deps, { qrcodeId, action: "SCAN" }, alice);
    expect((await refusedWith(setQrCodeStatus(deps, { qrcodeId, action: "CONFIRM" }, bob))).statusCode).toBe(403);
    await setQrCodeStatus(deps, { qrcodeId, action: "CONFIRM" }, alice);
    const { ticket } = await getQrCodeStatus(deps, qrcodeId);
    clock += 300_000;
    expect(await getQrCodeStatus(deps, qrcodeId)).not.toHaveProperty("ticket");
    expect((await refusedWith(exchangeTicket(deps, ticket!))).apiCode).toBe(apiCodes.ticketInvalid);
  });

  it("refuses a refresh token after its 30 days", async () => {
    const { qrcodeId } = await geneQrCode(deps, { type: "MOBILE_APP" }, "http://laptop:3000");
    await setQrCodeStatus(deps, { qrcodeId, action: "SCAN" }, alice);
    await setQrCodeStatus(deps, { qrcodeId, action: "CONFIRM" }, alice);
    const tokens = await exchangeTicket(deps, (await getQrCodeStatus(deps, qrcodeId)).ticket!);
    clock += REFRESH_TOKEN_TTL_SECONDS * 1000;
    expect(await rotateRefreshToken(deps, tokens.refreshToken)).toEqual({ ok: false, reason: "expired-or-revoked" });
  });
});
