import "server-only";

import { z } from "zod";

import { registerPasskey, registrationResponseSchema } from "@/lib/qr-login/provider/passkeys";
import { requireUser } from "@/lib/qr-login/provider/request-auth";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

const requestSchema = z.object({ credential: registrationResponseSchema });

/** A passkey extension of Authing's V3: the new credential from navigator.credentials.create(). */
export const POST = v3Route("register-passkey", async ({ request, deps }) => {
  const user = await requireUser(deps, request);
  return registerPasskey(deps, user, (await readJsonBody(request, requestSchema)).credential);
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
