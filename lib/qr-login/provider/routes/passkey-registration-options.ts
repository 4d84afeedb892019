import "server-only";

import { registrationOptions } from "@/lib/qr-login/provider/passkeys";
import { requireUser } from "@/lib/qr-login/provider/request-auth";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

/** A passkey extension of Authing's V3: options for navigator.credentials.create() for the signed-in user. */
export const POST = v3Route("passkey-registration-options", async ({ request, deps }) => registrationOptions(deps, await requireUser(deps, request)));

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
