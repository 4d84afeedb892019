import "server-only";

import { v2UnknownEndpoint } from "@/lib/provider/http";

// Authing's V2 clients parse every answer as the envelope: a path the provider lacks is JSON too.
export const { GET, POST, PUT, PATCH, DELETE } = v2UnknownEndpoint();
