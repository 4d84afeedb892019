import "server-only";

import { v2UnknownEndpoint } from "@/lib/qr-login/provider/v2-route";

// Authing's V2 clients parse every answer as the envelope: a path the provider lacks is JSON too.
export const { GET, POST, PUT, PATCH, DELETE } = v2UnknownEndpoint();
