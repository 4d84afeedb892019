import { z } from "zod";

// What the configuration validates of Authing's wire (lib/qr-login/client/authing/schemas.ts
// re-exports both): here, so that the platform imports nothing above it.

export const tokenEndpointAuthMethodSchema = z.enum(["none", "client_secret_post", "client_secret_basic"]);

/** The longest a status request may be held (web WeChat answers "nothing yet" after ~25 s). */
export const MAX_STATUS_WAIT_SECONDS = 25;
