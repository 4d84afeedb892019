import "server-only";

import { oidcJson, oidcOtherMethods, oidcRoute, readOidcParams } from "@/lib/provider/http";
import { tokenEndpoint } from "@/lib/provider/oidc";
import { clientAuthCallerOf } from "@/lib/provider/throttle";

export const POST = oidcRoute("token", async ({ request, deps }) =>
  oidcJson(
    await tokenEndpoint(deps, await readOidcParams(request), {
      authorization: request.headers.get("authorization"),
      ...clientAuthCallerOf(request),
    }),
  ),
);

export const { GET, PUT, PATCH, DELETE } = oidcOtherMethods("POST");
