/** Which decoder reads the frames: the browser's own, or jsQR where the browser has none. */
export type QrDecoderKind = "barcode-detector" | "jsqr";

export type QrDecoder = {
  kind: QrDecoderKind;
  /** The texts of the QR codes in the frame drawn on the canvas (none, one, or several). */
  decode(canvas: HTMLCanvasElement, context: CanvasRenderingContext2D): Promise<string[]>;
};

// The Shape Detection API is not in TypeScript's DOM types yet.
type BarcodeDetectorInstance = { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> };
type BarcodeDetectorConstructor = {
  new (options?: { formats: string[] }): BarcodeDetectorInstance;
  getSupportedFormats(): Promise<string[]>;
};

async function nativeDecoder(): Promise<QrDecoder | null> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  if (!Detector) return null;
  try {
    if (!(await Detector.getSupportedFormats()).includes("qr_code")) return null;
    const detector = new Detector({ formats: ["qr_code"] });
    return { kind: "barcode-detector", decode: async (canvas) => (await detector.detect(canvas)).map((code) => code.rawValue) };
  } catch {
    return null;
  }
}

/**
 * The browser's BarcodeDetector where it reads QR codes (Android and Apple platforms), else jsQR,
 * fetched only now (its own chunk), so /m and browsers with a detector never download it.
 */
export async function createQrDecoder(): Promise<QrDecoder> {
  const native = await nativeDecoder();
  if (native) return native;
  const jsQRModule = await import("jsqr");
  const jsQR = jsQRModule.default;
  return {
    kind: "jsqr",
    decode: async (canvas, context) => {
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      // This site's codes are dark on a light quiet zone, in dark mode too: no inverted pass.
      const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      return code ? [code.data] : [];
    },
  };
}
