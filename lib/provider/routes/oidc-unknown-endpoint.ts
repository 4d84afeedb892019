import "server-only";

import { oidcUnknownEndpoint } from "@/lib/provider/oidc-route";

export const { GET, POST, PUT, PATCH, DELETE } = oidcUnknownEndpoint();
