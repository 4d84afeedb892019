import "server-only";

import { qrCodeStatusQuerySchema } from "@/lib/qr-login/client/authing/schemas";
import { POLL_SECRET_HEADER } from "@/lib/qr-login/client/authing/wire-headers";
import { parseRequest, queryOf } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";
import { getQrCodeStatus } from "@/lib/qr-login/provider/qr-codes";
import { callerOf, holdWait, limitPublicRequest } from "@/lib/qr-login/provider/provider-rate-limits";

export const GET = v3Route("get-qrcode-status", async ({ request, deps }) => {
  const caller = callerOf(deps, request);
  await limitPublicRequest(deps, "qrCodeStatus", caller);
  const { qrcodeId, waitSeconds, knownStatus } = parseRequest(qrCodeStatusQuerySchema, queryOf(request));
  const pollSecret = request.headers.get(POLL_SECRET_HEADER) ?? undefined;
  return getQrCodeStatus(deps, qrcodeId, { waitSeconds, knownStatus, signal: request.signal, pollSecret, admit: () => holdWait(caller.ip) });
});

export const { POST, PUT, PATCH, DELETE } = v3OtherMethods("GET");
