import "server-only";

import { oidcJson, oidcOtherMethods, oidcRoute } from "@/lib/qr-login/provider/oidc-route";
import { queryOf, readOidcParams } from "@/lib/qr-login/provider/request-body";
import { bearerTokenOf, userInfo } from "@/lib/qr-login/provider/oidc";

const handler = oidcRoute("me", async ({ request, deps }) => {
  const elsewhere = "access_token" in queryOf(request) || "access_token" in (await readOidcParams(request));
  return oidcJson(await userInfo(deps, bearerTokenOf(request.headers.get("authorization")), { elsewhere }));
});

export { handler as GET, handler as POST };
export const { PUT, PATCH, DELETE } = oidcOtherMethods("GET", "POST");
