import "server-only";

import { oidcJson, oidcOtherMethods, oidcRoute } from "@/lib/qr-login/provider/oidc-route";
import { readOidcParams } from "@/lib/qr-login/provider/request-body";
import { tokenEndpoint } from "@/lib/qr-login/provider/oidc";
import { clientAuthCallerOf } from "@/lib/qr-login/provider/provider-rate-limits";

export const POST = oidcRoute("token", async ({ request, deps }) =>
  oidcJson(
    await tokenEndpoint(deps, await readOidcParams(request), {
      authorization: request.headers.get("authorization"),
      ...clientAuthCallerOf(request),
    }),
  ),
);

export const { GET, PUT, PATCH, DELETE } = oidcOtherMethods("POST");
