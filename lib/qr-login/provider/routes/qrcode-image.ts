import "server-only";

import { z } from "zod";

import { qrCodeIdSchema } from "@/lib/qr-login/client/authing/schemas";
import { parseRequest, queryOf } from "@/lib/qr-login/provider/request-body";
import { v3OtherMethods, v3RawRoute } from "@/lib/qr-login/provider/v3-route";
import { findOwnQrCode } from "@/lib/qr-login/provider/qr-codes";
import { renderQrImage } from "@/lib/qr-login/provider/qr-image";
import { callerOf, limitPublicRequest } from "@/lib/qr-login/provider/provider-rate-limits";

const querySchema = z.object({ qrcodeId: qrCodeIdSchema, format: z.enum(["png", "svg"]).default("png") });

/** The `url` gene-qrcode answers: a PNG (or `format=svg`) of the content made with the code (lib/qr-login/provider/qr-content.ts). */
export const GET = v3RawRoute("qrcode-image", async ({ request, deps }) => {
  await limitPublicRequest(deps, "qrCodeImage", callerOf(deps, request));
  const { qrcodeId, format } = parseRequest(querySchema, queryOf(request));
  const code = await findOwnQrCode(deps, qrcodeId);
  const image = await renderQrImage(code.content, format);
  return new Response(image.body as BodyInit, {
    headers: { "content-type": image.contentType, "cache-control": "private, max-age=300", "x-content-type-options": "nosniff" },
  });
});

export const { POST, PUT, PATCH, DELETE } = v3OtherMethods("GET");
