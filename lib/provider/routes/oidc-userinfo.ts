import "server-only";

import { oidcJson, oidcOtherMethods, oidcRoute, queryOf, readOidcParams } from "@/lib/provider/http";
import { bearerTokenOf, userInfo } from "@/lib/provider/oidc";

const handler = oidcRoute("me", async ({ request, deps }) => {
  const elsewhere = "access_token" in queryOf(request) || "access_token" in (await readOidcParams(request));
  return oidcJson(await userInfo(deps, bearerTokenOf(request.headers.get("authorization")), { elsewhere }));
});

export { handler as GET, handler as POST };
export const { PUT, PATCH, DELETE } = oidcOtherMethods("GET", "POST");
