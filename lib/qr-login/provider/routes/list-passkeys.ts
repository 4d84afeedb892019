import "server-only";

import { passkeys } from "@/lib/qr-login/provider/passkeys";
import { requireUser } from "@/lib/qr-login/provider/request-auth";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

/** A passkey extension of Authing's V3: the signed-in user's passkeys, oldest first. */
export const GET = v3Route("list-passkeys", async ({ request, deps }) => passkeys(deps, await requireUser(deps, request)));

export const { POST, PUT, PATCH, DELETE } = v3OtherMethods("GET");
