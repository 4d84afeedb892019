import { oidcJson, oidcOtherMethods, oidcRoute, queryOf, readOidcParams } from "@/lib/provider/http";
import { userInfo } from "@/lib/provider/oidc";

const handler = oidcRoute("me", async ({ request, deps }) => {
  const header = request.headers.get("authorization")?.match(/^bearer\s+(.+)$/i)?.[1]?.trim();
  const token = header ?? queryOf(request).access_token ?? (await readOidcParams(request)).access_token;
  return oidcJson(await userInfo(deps, token));
});

export { handler as GET, handler as POST };
export const { PUT, PATCH, DELETE } = oidcOtherMethods("GET", "POST");
