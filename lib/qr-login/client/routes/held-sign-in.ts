import "server-only";

import { cookies, headers } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";

import { HELD_SIGN_IN_COOKIE_NAME } from "@/lib/qr-login/client/flow/account-check";
import { readHeldAccount, refuseHeldSignIn } from "@/lib/qr-login/client/flow/held-sign-in";
import { errorResponse, isCrossSite, jsonError, noStore } from "@/lib/qr-login/client/flow/http-errors";
import { isHttpsRequest } from "@/lib/qr-login/platform/request-info";
import { withRequestId } from "@/lib/qr-login/platform/request-context";

/** Who scanned and confirmed a code of this browser's but is not its last account: name, email and photo, never a token. */
export function GET(request: NextRequest) {
  return withRequestId(request, async () => {
    const held = readHeldAccount(request.cookies.get(HELD_SIGN_IN_COOKIE_NAME)?.value);
    if (!held) return jsonError(404, "not_found", "No sign-in waits for this browser. Get a new code.");
    return NextResponse.json(held, { headers: noStore });
  });
}

/** "Not me": the held sign-in is dropped and its tokens revoked at the provider. */
export function DELETE(request: NextRequest) {
  return withRequestId(request, async () => {
    if (isCrossSite(request.headers)) return jsonError(403, "cross_site", "A held sign-in is refused from this site only.");
    try {
      const refused = await refuseHeldSignIn(await cookies(), isHttpsRequest(await headers()));
      return NextResponse.json({ refused }, { headers: noStore });
    } catch (error) {
      return errorResponse(error, "held-sign-in");
    }
  });
}
