import { expect, type Locator } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";

/**
 * Reads a QR code the way a phone camera would: from pixels on the screen, not from the DOM.
 * Looks again while a new image is still loading or fading in, as a camera would.
 */
export async function readQrCode(image: Locator): Promise<string> {
  let data: string | undefined;
  await expect
    .poll(
      async () => {
        // A page that reloads (next dev does once it has compiled) detaches the image: look again.
        const shot = await image.screenshot().catch(() => undefined);
        if (!shot) return false;
        const png = PNG.sync.read(shot);
        data = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
        return data !== undefined;
      },
      { message: "a QR code decodable from the screenshot" },
    )
    .toBe(true);
  return data!;
}
