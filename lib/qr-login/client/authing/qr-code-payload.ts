/**
 * What an Authing "APP 扫码登录 Web" QR code carries (shared/spec/authing-v2-qr-api.md): JSON that
 * Authing's phone SDKs (Guard for Android and iOS, Flutter's AuthClient) parse for `random`, the
 * code's id, which they send to /api/v2/qrcode/scanned, confirm and cancel.
 *
 * The companion's scanner validates it in the browser, so this is zod's tree-shaken "mini" build
 * (about 7 KB gzipped where the full one and the V3 schemas would add some 90 KB to the phone's page).
 */
// First: before any schema is built (see the module).
import "@/lib/qr-login/client/authing/zod-in-browser";

import * as z from "zod/mini";

import { QR_CODE_ID } from "@/lib/qr-login/client/authing/companion-path";

export const authingQrCodePayloadSchema = z.object({
  scene: z.literal("APP_AUTH"),
  random: z.string().check(z.regex(QR_CODE_ID)),
  userPoolId: z.string().check(z.minLength(1), z.maxLength(128)),
  createdAt: z.iso.datetime(),
  expireAt: z.iso.datetime(),
  customData: z.record(z.string(), z.unknown()),
});
export type AuthingQrCodePayload = z.infer<typeof authingQrCodePayloadSchema>;

/** A reader needs only these; the times and custom data are the phone app's to show, if it likes. */
const scannedPayloadSchema = z.pick(authingQrCodePayloadSchema, { scene: true, random: true, userPoolId: true });

/** The fields a scanner acts on, when `text` is an Authing QR payload of an id of ours; else null. */
export function readAuthingQrCodePayload(text: string): z.infer<typeof scannedPayloadSchema> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = scannedPayloadSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
