import "server-only";

import { requireUser } from "@/lib/qr-login/provider/request-auth";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";
import { profileOf } from "@/lib/qr-login/provider/users";

export const GET = v3Route("get-profile", async ({ request, deps }) => profileOf(await requireUser(deps, request)));

export const { POST, PUT, PATCH, DELETE } = v3OtherMethods("GET");
