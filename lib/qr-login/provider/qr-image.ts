import "server-only";

import QRCode from "qrcode";

export type QrImageFormat = "png" | "svg";

export async function renderQrImage(content: string, format: QrImageFormat): Promise<{ body: Uint8Array | string; contentType: string }> {
  const options = { errorCorrectionLevel: "M", margin: 2 } as const;
  if (format === "svg") {
    return { body: await QRCode.toString(content, { ...options, type: "svg" }), contentType: "image/svg+xml" };
  }
  const png = await QRCode.toBuffer(content, { ...options, type: "png", width: 320 });
  return { body: new Uint8Array(png), contentType: "image/png" };
}
