import "server-only";

import { signinRequestSchema } from "@/lib/qr-login/client/authing/schemas";
import { requireClientV3, signinClientAddress } from "@/lib/qr-login/provider/request-auth";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";
import { issueTokens, tokenSetOf } from "@/lib/qr-login/provider/tokens";
import { authenticateUser, signinDeviceOf } from "@/lib/qr-login/provider/users";

export const POST = v3Route("signin", async ({ request, deps }) => {
  const body = await readJsonBody(request, signinRequestSchema);
  await requireClientV3(deps, request, body);
  const attempt = { ip: signinClientAddress(deps, request), device: signinDeviceOf(deps, request) };
  return tokenSetOf(await issueTokens(deps, await authenticateUser(deps, body.passwordPayload, attempt)));
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
