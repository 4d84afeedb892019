import { qrCodeStatusQuerySchema } from "@/lib/authing/schemas";
import { parseV3, queryOf, v3OtherMethods, v3Route } from "@/lib/provider/http";
import { getQrCodeStatus } from "@/lib/provider/qr-codes";

export const GET = v3Route("get-qrcode-status", async ({ request, deps }) =>
  getQrCodeStatus(deps, parseV3(qrCodeStatusQuerySchema, queryOf(request)).qrcodeId),
);

export const { POST, PUT, PATCH, DELETE } = v3OtherMethods("GET");
