import "server-only";

import { oidcJson, oidcOtherMethods, oidcRoute } from "@/lib/provider/oidc-route";
import { discoveryDocument } from "@/lib/provider/oidc";

export const GET = oidcRoute("openid-configuration", async ({ deps }) =>
  oidcJson(discoveryDocument(deps), { "cache-control": "public, max-age=300" }),
);

export const { POST, PUT, PATCH, DELETE } = oidcOtherMethods("GET");
