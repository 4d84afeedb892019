import "server-only";

import { signupRequestSchema } from "@/lib/authing/schemas";
import { getConfig } from "@/lib/config";
import { readJsonBody } from "@/lib/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/provider/v3-route";
import { signup } from "@/lib/provider/users";
import { clientIpFrom } from "@/lib/qr-login/request-info";

export const POST = v3Route("signup", async ({ request, deps }) =>
  signup(deps, await readJsonBody(request, signupRequestSchema), clientIpFrom(request.headers), { allowSignup: getConfig().allowSignup }),
);

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
