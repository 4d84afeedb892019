import "server-only";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { ProviderError } from "@/lib/qr-login/provider/errors";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v2OtherMethods, v2Route } from "@/lib/qr-login/provider/v2-route";
import { callerProvedSecret, countClientAuthFailure } from "@/lib/qr-login/provider/provider-rate-limits";
import { exchangeUserInfoV2 } from "@/lib/qr-login/provider/v2/qr-codes";
import { v2UserInfoRequestSchema } from "@/lib/qr-login/provider/v2/schemas";
import { clientIpFrom } from "@/lib/qr-login/platform/request-info";

/**
 * The ticket for the user and a token. Unless QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER, only a
 * caller proving the app secret (client_id and client_secret in the body, or HTTP Basic): a
 * refusal counts as a failed client authentication of its address.
 */
export const POST = v2Route("v2/qrcode/userinfo", async ({ request, deps }) => {
  const body = await readJsonBody(request, v2UserInfoRequestSchema);
  if (!deps.settings.allowExchangeUserInfoFromBrowser && !callerProvedSecret(deps, request, body)) {
    await countClientAuthFailure(deps, clientIpFrom(request.headers));
    throw new ProviderError(
      401,
      "Exchanging a ticket here needs the app secret (client_id and client_secret in the body, or HTTP Basic): call it from your server, " +
        "or set QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER=true (Authing's allowExchangeUserInfoFromBrowser)",
      apiCodes.clientAuthFailed,
    );
  }
  return exchangeUserInfoV2(deps, body.ticket);
});

export const { GET, PUT, PATCH, DELETE } = v2OtherMethods("POST");
