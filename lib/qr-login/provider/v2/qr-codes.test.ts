import { beforeEach, describe, expect, it } from "vitest";

import type { UserRecord } from "@/lib/qr-login/provider/store/types";
import { tempSqliteStores } from "@/test-support/temp-dirs";

import type { ProviderDeps, ProviderSettings } from "../deps";
import { startProvider } from "../provider";
import { geneQrCode, setQrCodeStatus } from "../qr-codes";
import { testProviderSettings } from "../../../../test-support/test-settings";
import { verifyAccessToken } from "../tokens";
import { checkQrCodeV2 } from "./qr-codes";

const sqliteStore = tempSqliteStores("provider-v2-");
let deps: ProviderDeps;
let alice: UserRecord;

async function start(settings: Partial<ProviderSettings>) {
  deps = { store: sqliteStore().store, now: Date.now, settings: testProviderSettings(settings) };
  await startProvider(deps, { seed: true });
  alice = (await deps.store.findUserByLogin("alice"))!;
}

async function authorizedCode() {
  const { qrcodeId } = await geneQrCode(deps, { type: "MOBILE_APP" }, "http://laptop:3000");
  await setQrCodeStatus(deps, { qrcodeId, action: "SCAN" }, alice);
  await setQrCodeStatus(deps, { qrcodeId, action: "CONFIRM" }, alice);
  return qrcodeId;
}

describe("V2 status with returnFullUserInfo (Authing's \"web polling returns full user info\")", () => {
  beforeEach(() => start({ returnFullUserInfo: true }));

  it("gives the user and a working token to the first poll that sees the ticket, and to no other", async () => {
    const random = await authorizedCode();
    const polls = await Promise.all([checkQrCodeV2(deps, random), checkQrCodeV2(deps, random), checkQrCodeV2(deps, random)]);
    const full = polls.filter((poll) => poll.userInfo !== null && "token" in poll.userInfo);
    expect(full).toHaveLength(1);
    expect(full[0]).toMatchObject({ status: 2, ticket: null, scannedUserId: alice.id, userInfo: { id: alice.id, username: "alice", userPoolId: deps.settings.userPoolId } });
    const { token } = full[0]!.userInfo as { token: string };
    expect((await verifyAccessToken(deps, token)).user.id).toBe(alice.id);
    const others = polls.filter((poll) => !full.includes(poll));
    expect(others.every((poll) => poll.status === 2 && poll.ticket === null && poll.scannedUserId === null)).toBe(true);
    expect(await checkQrCodeV2(deps, random)).toEqual({ random, status: 2, userInfo: { nickname: "Alice Chen", photo: expect.any(String) }, ticket: null, scannedUserId: null });
  });

  it("still shows nothing but the status of a code made with a poll secret", async () => {
    const { qrcodeId } = await geneQrCode(deps, { type: "MOBILE_APP", withPollSecret: true }, "http://laptop:3000");
    await setQrCodeStatus(deps, { qrcodeId, action: "SCAN" }, alice);
    await setQrCodeStatus(deps, { qrcodeId, action: "CONFIRM" }, alice);
    expect(await checkQrCodeV2(deps, qrcodeId)).toEqual({ random: qrcodeId, status: 2, userInfo: null, ticket: null, scannedUserId: null });
  });
});

describe("V2 status by default", () => {
  beforeEach(() => start({}));

  it("shows the ticket, never a token, and the ticket only until it expires", async () => {
    const random = await authorizedCode();
    const authorized = await checkQrCodeV2(deps, random);
    expect(authorized).toEqual({ random, status: 2, userInfo: { nickname: "Alice Chen", photo: expect.any(String) }, ticket: expect.any(String), scannedUserId: null });
    const later = Date.now() + deps.settings.ticketTtlSeconds * 1000;
    deps.now = () => later;
    expect((await checkQrCodeV2(deps, random)).ticket).toBeNull();
  });
});
