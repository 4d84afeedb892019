import "server-only";

import { signInOptions } from "@/lib/qr-login/provider/passkeys";
import { callerOf, limitPublicRequest } from "@/lib/qr-login/provider/provider-rate-limits";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

/**
 * A passkey extension of Authing's V3: options for signing in with a passkey; nobody is signed in
 * yet, so limited per address. The app's companion asks on its phone's behalf and names the
 * phone's address: counted as the phone's own request would be (only an app call naming none is not).
 */
export const POST = v3Route("passkey-sign-in-options", async ({ request, deps }) => {
  const caller = callerOf(deps, request);
  await limitPublicRequest(deps, "passkeySignInOptions", { ...caller, app: caller.app && caller.ip === undefined });
  return signInOptions(deps);
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
