import "server-only";

import { signInOptions } from "@/lib/qr-login/provider/passkeys";
import { callerOf, limitPublicRequest } from "@/lib/qr-login/provider/provider-rate-limits";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";

/**
 * A passkey extension of Authing's V3: options for signing in with a passkey; nobody is signed in
 * yet, so limited per address, the app's calls too. The app's companion asks on its phone's
 * behalf and names the phone's address: counted as the phone's own request would be (naming none,
 * under the address the provider sees, or in process the unknown addresses' shared budget).
 */
export const POST = v3Route("passkey-sign-in-options", async ({ request, deps }) => {
  await limitPublicRequest(deps, "passkeySignInOptions", { ...callerOf(deps, request), app: false });
  return signInOptions(deps);
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
