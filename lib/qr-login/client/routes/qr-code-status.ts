import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import { qrCodeStatusQuerySchema } from "@/lib/qr-login/client/authing/schemas";
import { BINDING_COOKIE_NAME, readQrCodeStatusForBrowser } from "@/lib/qr-login/client/flow/browser-qr-login";
import { errorResponse, jsonError, noStore } from "@/lib/qr-login/client/flow/http-errors";
import { clientIpFrom } from "@/lib/qr-login/platform/request-info";
import { withRequestId } from "@/lib/qr-login/platform/request-context";

/**
 * The status of a code, answered only to the browser whose binding cookie vouches for it; with
 * `waitSeconds` and `knownStatus`, as soon as it differs from what the page already shows.
 */
export function GET(request: NextRequest) {
  return withRequestId(request, () => readStatus(request));
}

async function readStatus(request: NextRequest) {
  const query = qrCodeStatusQuerySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!query.success) {
    return jsonError(400, "invalid_request", query.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  }
  const { qrcodeId, waitSeconds, knownStatus } = query.data;
  try {
    const status = await readQrCodeStatusForBrowser(request.cookies.get(BINDING_COOKIE_NAME)?.value, qrcodeId, {
      waitSeconds,
      knownStatus,
      signal: request.signal,
      clientIp: clientIpFrom(request.headers),
    });
    return NextResponse.json(status, { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}
