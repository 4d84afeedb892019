import "server-only";

import { oidcOtherMethods, oidcRoute } from "@/lib/qr-login/provider/oidc-route";
import { readOidcParams } from "@/lib/qr-login/provider/request-body";
import { revocationEndpoint } from "@/lib/qr-login/provider/oidc";
import { clientAuthCallerOf } from "@/lib/qr-login/provider/provider-rate-limits";

/** RFC 7009: 200 whether or not the token was known. */
export const POST = oidcRoute("token/revocation", async ({ request, deps }) => {
  await revocationEndpoint(deps, await readOidcParams(request), {
    authorization: request.headers.get("authorization"),
    ...clientAuthCallerOf(request),
  });
  return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE } = oidcOtherMethods("POST");
