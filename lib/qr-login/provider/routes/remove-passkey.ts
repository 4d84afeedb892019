import "server-only";

import { z } from "zod";

import { removePasskey } from "@/lib/qr-login/provider/passkeys";
import { requireUser } from "@/lib/qr-login/provider/request-auth";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

const requestSchema = z.object({ id: z.string().min(1).max(1366) });

/** A passkey extension of Authing's V3: removes one of the signed-in user's passkeys. */
export const POST = v3Route("remove-passkey", async ({ request, deps }) => {
  const user = await requireUser(deps, request);
  return removePasskey(deps, user, (await readJsonBody(request, requestSchema)).id);
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
