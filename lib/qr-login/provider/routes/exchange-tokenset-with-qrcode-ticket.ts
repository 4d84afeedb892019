import "server-only";

import { exchangeTicketRequestSchema } from "@/lib/qr-login/client/authing/schemas";
import { requireClientV3 } from "@/lib/qr-login/provider/request-auth";
import { readJsonBody } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/qr-login/provider/v3-route";
import { exchangeTicket } from "@/lib/qr-login/provider/qr-codes";
import { tokenSetOf } from "@/lib/qr-login/provider/tokens";

export const POST = v3Route("exchange-tokenset-with-qrcode-ticket", async ({ request, deps }) => {
  const body = await readJsonBody(request, exchangeTicketRequestSchema);
  await requireClientV3(deps, request, body);
  return tokenSetOf(await exchangeTicket(deps, body.ticket));
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
