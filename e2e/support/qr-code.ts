import type { Locator } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";

/** Reads a QR code the way a phone camera would: from pixels on the screen, not from the DOM. */
export async function readQrCode(image: Locator): Promise<string> {
  // A code the page fetched after loading may still be on its way: read it once it is drawn.
  await image.evaluate((element) => {
    const img = element as HTMLImageElement;
    return img.complete && img.naturalWidth > 0 ? undefined : new Promise((resolve) => img.addEventListener("load", resolve, { once: true }));
  });
  const png = PNG.sync.read(await image.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!decoded) throw new Error("no QR code could be decoded from the screenshot");
  return decoded.data;
}
