import "server-only";

import { setQrCodeStatusRequestSchema } from "@/lib/qr-login/client/authing/schemas";
import { requireUser } from "@/lib/qr-login/provider/request-auth";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";
import { setQrCodeStatus } from "@/lib/qr-login/provider/qr-codes";
import { assertionSchema } from "@/lib/qr-login/provider/passkeys";

/** Authing's body, and this provider's extension: the passkey assertion a CONFIRM may need. */
const requestSchema = setQrCodeStatusRequestSchema.extend({ userVerification: assertionSchema.optional() });

export const POST = v3Route("set-qrcode-status", async ({ request, deps }) => {
  const user = await requireUser(deps, request);
  return setQrCodeStatus(deps, await readJsonBody(request, requestSchema), user);
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
