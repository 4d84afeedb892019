import "server-only";

import { oidcJson, oidcOtherMethods, oidcRoute } from "@/lib/qr-login/provider/oidc-route";
import { discoveryDocument } from "@/lib/qr-login/provider/oidc";

export const GET = oidcRoute("openid-configuration", async ({ deps }) =>
  oidcJson(discoveryDocument(deps), { "cache-control": "public, max-age=300" }),
);

export const { POST, PUT, PATCH, DELETE } = oidcOtherMethods("GET");
