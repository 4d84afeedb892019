import "server-only";

import { oidcUnknownEndpoint } from "@/lib/qr-login/provider/oidc-route";

export const { GET, POST, PUT, PATCH, DELETE } = oidcUnknownEndpoint();
