import "server-only";

import { geneQrCodeRequestSchema } from "@/lib/qr-login/client/authing/schemas";
import { readJsonBody, requestOrigin } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";
import { geneQrCode } from "@/lib/qr-login/provider/qr-codes";
import { callerOf, limitPublicRequest } from "@/lib/qr-login/provider/provider-rate-limits";

export const POST = v3Route("gene-qrcode", async ({ request, deps }) => {
  const body = await readJsonBody(request, geneQrCodeRequestSchema);
  const caller = callerOf(deps, request, body);
  await limitPublicRequest(deps, "geneQrCode", caller);
  return geneQrCode(deps, body, requestOrigin(request), { ...caller, userAgent: request.headers.get("user-agent") ?? undefined });
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
