import "server-only";

import { parseRequest, queryOf } from "@/lib/qr-login/provider/request-body";
import { v2OtherMethods, v2Route } from "@/lib/qr-login/provider/v2-route";
import { callerOf, limitPublicRequest } from "@/lib/qr-login/provider/provider-rate-limits";
import { checkQrCodeV2 } from "@/lib/qr-login/provider/v2/qr-codes";
import { v2CheckQuerySchema } from "@/lib/qr-login/provider/v2/schemas";

// The Web SDK polls (every 800 ms) and never waits: answered at once, in the V3 status budget.
export const GET = v2Route("v2/qrcode/check", async ({ request, deps }) => {
  await limitPublicRequest(deps, "qrCodeStatus", callerOf(deps, request));
  const { random } = parseRequest(v2CheckQuerySchema, queryOf(request));
  return checkQrCodeV2(deps, random);
});

export const { POST, PUT, PATCH, DELETE } = v2OtherMethods("GET");
