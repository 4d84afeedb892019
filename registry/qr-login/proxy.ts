import { NextResponse, type NextRequest } from "next/server";

import { qrLoginProxy, refuseFramingOfSignInPages } from "@/lib/qr-login/client/qr-login-proxy";

export async function proxy(request: NextRequest) {
  return refuseFramingOfSignInPages(request, (await qrLoginProxy(request)) ?? NextResponse.next());
}

// Pages only: not the API routes, static assets or images.
export const config = { matcher: ["/((?!api/|_next/static|_next/image|favicon\\.ico).*)"] };
