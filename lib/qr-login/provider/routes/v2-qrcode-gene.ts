import "server-only";

import { readJsonBody, requestOrigin } from "@/lib/qr-login/provider/request-body";
import { v2OtherMethods, v2Route } from "@/lib/qr-login/provider/v2-route";
import { callerOf, limitPublicRequest } from "@/lib/qr-login/provider/provider-rate-limits";
import { geneQrCodeV2 } from "@/lib/qr-login/provider/v2/qr-codes";
import { v2GeneRequestSchema } from "@/lib/qr-login/provider/v2/schemas";

export const POST = v2Route("v2/qrcode/gene", async ({ request, deps }) => {
  const body = await readJsonBody(request, v2GeneRequestSchema);
  const caller = callerOf(deps, request, body);
  await limitPublicRequest(deps, "geneQrCode", caller);
  return geneQrCodeV2(deps, body, requestOrigin(request), { ...caller, userAgent: request.headers.get("user-agent") ?? undefined });
});

export const { GET, PUT, PATCH, DELETE } = v2OtherMethods("POST");
