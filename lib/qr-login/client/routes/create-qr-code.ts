import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import { BINDING_COOKIE_NAME, createQrCodeForBrowser } from "@/lib/qr-login/client/flow/browser-qr-login";
import { errorResponse, isCrossSite, jsonError, noStore } from "@/lib/qr-login/client/flow/http-errors";
import { requesterInfoFrom } from "@/lib/qr-login/platform/request-info";
import { withRequestId } from "@/lib/qr-login/platform/request-context";

/** "Get a new code": creates a code for this browser and binds it with the cookie. */
export function POST(request: NextRequest) {
  return withRequestId(request, () => createCode(request));
}

async function createCode(request: NextRequest) {
  if (isCrossSite(request.headers)) return jsonError(403, "cross_site", "Codes are created from this site only.");
  try {
    const requester = requesterInfoFrom(request.headers, request.nextUrl);
    const { qrCode, cookie } = await createQrCodeForBrowser(requester, request.cookies.get(BINDING_COOKIE_NAME)?.value);
    const response = NextResponse.json(qrCode, { status: 201, headers: noStore });
    response.cookies.set(cookie.name, cookie.value, cookie.options);
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}
