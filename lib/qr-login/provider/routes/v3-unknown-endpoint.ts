import "server-only";

import { v3UnknownEndpoint } from "@/lib/qr-login/provider/v3-route";

// The V3 SDKs parse every answer as the envelope, a mistyped path's 404 included.
export const { GET, POST, PUT, PATCH, DELETE } = v3UnknownEndpoint();
