import "server-only";

import type { QrCodeAction } from "@/lib/authing/schemas";
import { readV3Body, requireUser, v2OtherMethods, v2Route } from "@/lib/provider/http";

import { changeQrCodeStatusV2 } from "./qr-codes";
import { v2PhoneRequestSchema } from "./schemas";

/** POST /api/v2/qrcode/{scanned,confirm,cancel}: the signed-in phone's token (bare or Bearer) and {random}. */
export function v2PhoneAction(action: QrCodeAction) {
  const POST = v2Route(`v2/qrcode/${action.toLowerCase()}`, async ({ request, deps }) => {
    const user = await requireUser(deps, request);
    const { random } = await readV3Body(request, v2PhoneRequestSchema);
    return changeQrCodeStatusV2(deps, random, action, user);
  });
  return { POST, ...v2OtherMethods("POST") };
}
