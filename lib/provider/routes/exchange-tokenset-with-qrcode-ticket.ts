import "server-only";

import { exchangeTicketRequestSchema } from "@/lib/authing/schemas";
import { requireClientV3 } from "@/lib/provider/request-auth";
import { readJsonBody } from "@/lib/provider/request-body";
import { v3OtherMethods, v3Route } from "@/lib/provider/v3-route";
import { exchangeTicket } from "@/lib/provider/qr-codes";
import { tokenSetOf } from "@/lib/provider/tokens";

export const POST = v3Route("exchange-tokenset-with-qrcode-ticket", async ({ request, deps }) => {
  const body = await readJsonBody(request, exchangeTicketRequestSchema);
  await requireClientV3(deps, request, body);
  return tokenSetOf(await exchangeTicket(deps, body.ticket));
});

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
