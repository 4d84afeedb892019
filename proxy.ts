import type { NextRequest } from "next/server";

import { refreshSessionOnVisit } from "@/lib/auth/refresh-on-visit";
import { bindQrCodeOnLoginVisit } from "@/lib/qr-login/login-visit";

export async function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === "/login") return bindQrCodeOnLoginVisit(request);
  return refreshSessionOnVisit(request);
}

export const config = { matcher: ["/", "/login", "/account"] };
