import { geneQrCodeRequestSchema } from "@/lib/authing/schemas";
import { readV3Body, requestOrigin, v3OtherMethods, v3Route } from "@/lib/provider/http";
import { geneQrCode } from "@/lib/provider/qr-codes";

export const POST = v3Route("gene-qrcode", async ({ request, deps }) =>
  geneQrCode(deps, await readV3Body(request, geneQrCodeRequestSchema), requestOrigin(request)),
);

export const { GET, PUT, PATCH, DELETE } = v3OtherMethods("POST");
