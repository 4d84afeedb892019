import "server-only";

import { oidcUnknownEndpoint } from "@/lib/provider/http";

export const { GET, POST, PUT, PATCH, DELETE } = oidcUnknownEndpoint();
