import "server-only";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import type { AuthingQrCodePayload } from "@/lib/qr-login/client/authing/qr-code-payload";
import { companionPath } from "@/lib/qr-login/client/authing/companion-path";

import type { ProviderSettings } from "./deps";
import { ProviderError } from "./errors";

export const companionUrl = (origin: string, qrcodeId: string) => `${origin}${companionPath(qrcodeId)}`;

/**
 * Beyond this a code's image (240 px on the login page) has modules too small for a phone camera
 * to read from a screen: about version 26, 121 modules a side.
 */
export const MAX_QR_CONTENT_BYTES = 1024;

type NewCode = { id: string; createdAt: number; expiresAt: number; customData: Record<string, unknown> | null };

/**
 * What a code's image carries, decided once when the code is made and kept with it, so that every
 * `url` answered for it (V3 `gene-qrcode`, V2 `gene`) shows the same thing: the companion's scan
 * URL, or with QR_CODE_CONTENT=authing the JSON Authing's phone SDKs parse, custom data included
 * as Authing does. Either way the code's id leads to the companion's scan page (companionPath).
 */
export function qrCodeContent(settings: ProviderSettings, origin: string, code: NewCode): string {
  if (settings.qrCodeContent === "companion") return companionUrl(origin, code.id);
  const payload: AuthingQrCodePayload = {
    scene: "APP_AUTH",
    random: code.id,
    userPoolId: settings.userPoolId,
    createdAt: new Date(code.createdAt).toISOString(),
    expireAt: new Date(code.expiresAt).toISOString(),
    customData: code.customData ?? {},
  };
  const content = JSON.stringify(payload);
  if (Buffer.byteLength(content) > MAX_QR_CONTENT_BYTES) {
    throw new ProviderError(
      400,
      `customData is too large for the QR code: with QR_CODE_CONTENT=authing the code carries it, and the whole payload must stay within ${MAX_QR_CONTENT_BYTES} bytes of JSON for a phone to read it from a screen`,
      apiCodes.invalidRequest,
    );
  }
  return content;
}
