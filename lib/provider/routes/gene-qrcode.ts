import "server-only";

import { geneQrCodeRequestSchema } from "@/lib/authing/schemas";
import { readJsonBody, requestOrigin } from "@/lib/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/provider/v3-route";
import { geneQrCode } from "@/lib/provider/qr-codes";
import { callerOf, limitPublicRequest } from "@/lib/provider/provider-rate-limits";

export const POST = v3Route("gene-qrcode", async ({ request, deps }) => {
  const body = await readJsonBody(request, geneQrCodeRequestSchema);
  const caller = callerOf(deps, request, body);
  await limitPublicRequest(deps, "geneQrCode", caller);
  return geneQrCode(deps, body, requestOrigin(request), { ...caller, userAgent: request.headers.get("user-agent") ?? undefined });
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
