import "server-only";

import type { QrCodeAction } from "@/lib/qr-login/client/authing/schemas";
import { requireUser } from "@/lib/qr-login/provider/request-auth";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v2OtherMethods, v2Route } from "@/lib/qr-login/provider/v2-route";
import { assertionSchema } from "@/lib/qr-login/provider/passkeys";

import { changeQrCodeStatusV2 } from "./qr-codes";
import { v2PhoneRequestSchema } from "./schemas";

/** POST /api/v2/qrcode/{scanned,confirm,cancel}: the signed-in phone's token (bare or Bearer) and {random}. */
export function v2PhoneAction(action: QrCodeAction) {
  const POST = v2Route(`v2/qrcode/${action.toLowerCase()}`, async ({ request, deps }) => {
    const user = await requireUser(deps, request);
    const { random, userVerification } = await readJsonBody(request, v2PhoneRequestSchema.extend({ userVerification: assertionSchema.optional() }));
    return changeQrCodeStatusV2(deps, random, action, user, userVerification);
  });
  return { POST, ...v2OtherMethods("POST") };
}
