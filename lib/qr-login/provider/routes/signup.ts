import "server-only";

import { signupRequestSchema } from "@/lib/qr-login/client/authing/schemas";
import { getConfig } from "@/lib/qr-login/platform/config";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";
import { signup } from "@/lib/qr-login/provider/users";
import { clientIpFrom } from "@/lib/qr-login/platform/request-info";

export const POST = v3Route("signup", async ({ request, deps }) =>
  signup(deps, await readJsonBody(request, signupRequestSchema), clientIpFrom(request.headers), { allowSignup: getConfig().allowSignup }),
);

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
