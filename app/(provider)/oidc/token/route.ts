import { oidcJson, oidcOtherMethods, oidcRoute, readOidcParams } from "@/lib/provider/http";
import { tokenEndpoint } from "@/lib/provider/oidc";

export const POST = oidcRoute("token", async ({ request, deps }) =>
  oidcJson(await tokenEndpoint(deps, await readOidcParams(request), request.headers.get("authorization"))),
);

export const { GET, PUT, PATCH, DELETE } = oidcOtherMethods("POST");
