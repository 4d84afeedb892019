import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";

import { authingQrCodePayloadSchema } from "@/lib/qr-login/client/authing/qr-code-payload";
import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { scannedCode } from "@/lib/qr-login/companion/scan-link";
import type { SqliteStore } from "@/lib/qr-login/provider/store/sqlite-store";
import { tempSqliteStores } from "@/test-support/temp-dirs";

import type { ProviderDeps } from "./deps";
import { ProviderError } from "./errors";
import { geneQrCode } from "./qr-codes";
import { MAX_QR_CONTENT_BYTES } from "./qr-content";
import { testProviderSettings } from "../../../test-support/test-settings";

const origin = "http://192.168.1.20:3000";
const T0 = Date.parse("2026-12-07T01:00:00.000Z");
const sqliteStore = tempSqliteStores("qr-content-");
let file: string;
let store: SqliteStore;
const depsWith = (qrCodeContent: "companion" | "authing"): ProviderDeps => ({
  store,
  now: () => T0,
  settings: testProviderSettings({ qrCodeContent, userPoolId: "pool-laptop", qrCodeTtlSeconds: 120 }),
});

beforeEach(() => {
  ({ store, file } = sqliteStore());
});

describe("what a code's image carries (QR_CODE_CONTENT)", () => {
  it("companion: the companion's scan URL on the request's origin", async () => {
    const { qrcodeId } = await geneQrCode(depsWith("companion"), { type: "MOBILE_APP", customData: { cart: 7 } }, origin);
    const content = (await store.findQrCode(qrcodeId))!.content;
    expect(content).toBe(`${origin}/m/scan/${qrcodeId}`);
    expect(scannedCode(content, { origin, userPoolId: "pool-laptop" })).toEqual({ path: `/m/scan/${qrcodeId}` });
  });

  it("authing: Authing's APP_AUTH JSON with the pool, the code's times and its custom data, which the companion's scanner opens", async () => {
    const { qrcodeId, url } = await geneQrCode(depsWith("authing"), { type: "MOBILE_APP", customData: { cart: 7, note: "扫码" } }, origin);
    // The image is served at the same `url` in either setting.
    expect(url).toBe(`${origin}/api/v3/qrcode-image?qrcodeId=${qrcodeId}`);
    const content = (await store.findQrCode(qrcodeId))!.content;
    expect(JSON.parse(content)).toStrictEqual({
      scene: "APP_AUTH",
      random: qrcodeId,
      userPoolId: "pool-laptop",
      createdAt: "2026-12-07T01:00:00.000Z",
      expireAt: "2026-12-07T01:02:00.000Z",
      customData: { cart: 7, note: "扫码" },
    });
    expect(authingQrCodePayloadSchema.safeParse(JSON.parse(content)).success).toBe(true);
    expect(scannedCode(content, { origin, userPoolId: "pool-laptop" })).toEqual({ path: `/m/scan/${qrcodeId}` });

    const { qrcodeId: bare } = await geneQrCode(depsWith("authing"), { type: "MOBILE_APP" }, origin);
    expect(JSON.parse((await store.findQrCode(bare))!.content).customData).toStrictEqual({});
  });

  it("authing: custom data too large for a readable code is refused, naming the field and the setting, and no code is made", async () => {
    const fits = "x".repeat(MAX_QR_CONTENT_BYTES - 300);
    await geneQrCode(depsWith("authing"), { type: "MOBILE_APP", customData: { fits } }, origin);
    // Counted in bytes: 300 CJK characters are 900 of them.
    const tooLarge = { note: "码".repeat(300) };
    const error = await geneQrCode(depsWith("authing"), { type: "MOBILE_APP", customData: tooLarge }, origin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ statusCode: 400, apiCode: apiCodes.invalidRequest });
    expect((error as Error).message).toMatch(/customData.*QR_CODE_CONTENT=authing.*1024 bytes/);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM qr_codes").get()).toEqual({ n: 1 });
    db.close();
    // The companion's URL does not carry custom data: the same request makes a code there.
    await expect(geneQrCode(depsWith("companion"), { type: "MOBILE_APP", customData: tooLarge }, origin)).resolves.toHaveProperty("qrcodeId");
  });
});
