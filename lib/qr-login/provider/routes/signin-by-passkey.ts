import "server-only";

import { z } from "zod";

import { assertionSchema, authenticateByPasskey } from "@/lib/qr-login/provider/passkeys";
import { requireClientV3 } from "@/lib/qr-login/provider/request-auth";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { issueTokens, tokenSetOf } from "@/lib/qr-login/provider/tokens";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

const requestSchema = z.object({
  credential: assertionSchema,
  client_id: z.string().max(256).optional(),
  client_secret: z.string().max(512).optional(),
});

/** A passkey extension of Authing's V3: signin's token set, for an assertion over a sign-in challenge. */
export const POST = v3Route("signin-by-passkey", async ({ request, deps }) => {
  const body = await readJsonBody(request, requestSchema);
  await requireClientV3(deps, request, body);
  return tokenSetOf(await issueTokens(deps, await authenticateByPasskey(deps, body.credential)));
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
