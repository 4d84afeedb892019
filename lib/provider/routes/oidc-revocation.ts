import "server-only";

import { oidcOtherMethods, oidcRoute, readOidcParams } from "@/lib/provider/http";
import { revocationEndpoint } from "@/lib/provider/oidc";
import { clientIpFrom } from "@/lib/qr-login/request-info";

/** RFC 7009: 200 whether or not the token was known. */
export const POST = oidcRoute("token/revocation", async ({ request, deps }) => {
  await revocationEndpoint(deps, await readOidcParams(request), {
    authorization: request.headers.get("authorization"),
    ip: clientIpFrom(request.headers),
  });
  return new Response(null, { status: 200, headers: { "cache-control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE } = oidcOtherMethods("POST");
