import "server-only";

import { oidcOtherMethods, oidcRoute } from "@/lib/provider/oidc-route";
import { readOidcParams } from "@/lib/provider/request-body";
import { revocationEndpoint } from "@/lib/provider/oidc";
import { clientAuthCallerOf } from "@/lib/provider/provider-rate-limits";

/** RFC 7009: 200 whether or not the token was known. */
export const POST = oidcRoute("token/revocation", async ({ request, deps }) => {
  await revocationEndpoint(deps, await readOidcParams(request), {
    authorization: request.headers.get("authorization"),
    ...clientAuthCallerOf(request),
  });
  return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE } = oidcOtherMethods("POST");
