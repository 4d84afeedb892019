import "server-only";

import { signInOptions } from "@/lib/qr-login/provider/passkeys";
import { callerOf, limitPublicRequest } from "@/lib/qr-login/provider/provider-rate-limits";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

/** An extension (docs/passkeys.md): options for signing in with a passkey; nobody is signed in yet, so limited per address. */
export const POST = v3Route("passkey-sign-in-options", async ({ request, deps }) => {
  await limitPublicRequest(deps, "passkeySignInOptions", callerOf(deps, request));
  return signInOptions(deps);
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
