import { NextResponse, type NextRequest } from "next/server";

import { refreshSessionOnVisit } from "@/lib/auth/refresh-on-visit";
import { bindQrCodeOnLoginVisit } from "@/lib/qr-login/login-visit";
import { refuseMalformedServerAction } from "@/lib/server-action-guard";

export async function proxy(request: NextRequest) {
  const refused = await refuseMalformedServerAction(request);
  if (refused) return refused;
  const { pathname } = request.nextUrl;
  if (pathname === "/login") return bindQrCodeOnLoginVisit(request);
  if (pathname === "/" || pathname === "/account") return refreshSessionOnVisit(request);
  return NextResponse.next();
}

// Every path but static assets and the provider's routes (which answer in their own formats): a
// server action can be posted to any page, a not-found one included.
export const config = { matcher: ["/((?!api/v3/|oidc/|_next/static|_next/image|favicon\\.ico).*)"] };
