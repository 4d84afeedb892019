import "server-only";

import { oidcJson, oidcOtherMethods, oidcRoute } from "@/lib/qr-login/provider/oidc-route";
import { jwks } from "@/lib/qr-login/provider/tokens";

export const GET = oidcRoute("jwks", async ({ deps }) => oidcJson(await jwks(deps), { "cache-control": "public, max-age=300" }));

export const { POST, PUT, PATCH, DELETE } = oidcOtherMethods("GET");
