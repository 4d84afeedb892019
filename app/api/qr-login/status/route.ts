import { NextResponse, type NextRequest } from "next/server";

import { qrCodeStatusQuerySchema } from "@/lib/authing/schemas";
import { BINDING_COOKIE_NAME, readQrCodeStatusForBrowser } from "@/lib/qr-login/browser-qr-login";
import { errorResponse, jsonError, noStore } from "@/lib/qr-login/http-errors";

/** The status of a code, answered only to the browser whose binding cookie vouches for it. */
export async function GET(request: NextRequest) {
  const query = qrCodeStatusQuerySchema.safeParse({ qrcodeId: request.nextUrl.searchParams.get("qrcodeId") ?? "" });
  if (!query.success) {
    return jsonError(400, "invalid_request", query.error.issues.map((issue) => issue.message).join("; "));
  }
  try {
    const status = await readQrCodeStatusForBrowser(request.cookies.get(BINDING_COOKIE_NAME)?.value, query.data.qrcodeId);
    return NextResponse.json(status, { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}
