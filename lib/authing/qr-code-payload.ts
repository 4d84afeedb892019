/**
 * What an Authing "APP 扫码登录 Web" QR code carries (shared/spec/authing-v2-qr-api.md): JSON that
 * Authing's phone SDKs (Guard for Android and iOS, Flutter's AuthClient) parse for `random`, the
 * code's id, which they send to /api/v2/qrcode/scanned, confirm and cancel.
 */
import { z } from "zod";

import { qrCodeIdSchema } from "@/lib/authing/schemas";

export const authingQrCodePayloadSchema = z.object({
  scene: z.literal("APP_AUTH"),
  random: qrCodeIdSchema,
  userPoolId: z.string().min(1).max(128),
  createdAt: z.iso.datetime(),
  expireAt: z.iso.datetime(),
  customData: z.record(z.string(), z.unknown()),
});
export type AuthingQrCodePayload = z.infer<typeof authingQrCodePayloadSchema>;

/** A reader needs only these; the times and custom data are the phone app's to show, if it likes. */
const scannedPayloadSchema = authingQrCodePayloadSchema.pick({ scene: true, random: true, userPoolId: true });

/** The fields a scanner acts on, when `text` is an Authing QR payload; else null. */
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
