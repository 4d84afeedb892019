import "server-only";

import { z } from "zod";

import { qrCodeIdSchema } from "@/lib/qr-login/client/authing/schemas";
import { confirmationOptions } from "@/lib/qr-login/provider/passkeys";
import { findOwnQrCode } from "@/lib/qr-login/provider/qr-codes";
import { requireUser } from "@/lib/qr-login/provider/request-auth";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

const requestSchema = z.object({ qrcodeId: qrCodeIdSchema });

/** A passkey extension of Authing's V3: options for navigator.credentials.get() that approve this code only. */
export const POST = v3Route("passkey-confirm-options", async ({ request, deps }) => {
  const user = await requireUser(deps, request);
  const { qrcodeId } = await readJsonBody(request, requestSchema);
  return confirmationOptions(deps, user, await findOwnQrCode(deps, qrcodeId));
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
