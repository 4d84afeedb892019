import "server-only";

import { signinRequestSchema } from "@/lib/authing/schemas";
import { readV3Body, requireClientV3, signinClientAddress, v3OtherMethods, v3Route } from "@/lib/provider/http";
import { issueTokens, tokenSetOf } from "@/lib/provider/tokens";
import { authenticateUser, signinDeviceOf } from "@/lib/provider/users";

export const POST = v3Route("signin", async ({ request, deps }) => {
  const body = await readV3Body(request, signinRequestSchema);
  await requireClientV3(deps, request, body);
  const attempt = { ip: signinClientAddress(deps, request), device: signinDeviceOf(deps, request) };
  return tokenSetOf(await issueTokens(deps, await authenticateUser(deps, body.passwordPayload, attempt)));
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
