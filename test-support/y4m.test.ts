import jsQR from "jsqr";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";

import { pngToY4m } from "./y4m";

describe("pngToY4m", () => {
  it("writes frames a decoder reads the picture back from", async () => {
    const text = "http://127.0.0.1:3000/m/scan/Zp3vX0c9q1Jm2k4Lw8s7Tg";
    const video = pngToY4m(await QRCode.toBuffer(text, { type: "png", width: 200, margin: 4 }), { frames: 3, scale: 1.5 });

    const headerEnd = video.indexOf("\n");
    expect(video.subarray(0, headerEnd).toString()).toBe("YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg");
    const frameBytes = "FRAME\n".length + 640 * 480 * 1.5;
    expect(video.length).toBe(headerEnd + 1 + 3 * frameBytes);

    // The last frame's luma as a grey picture.
    const luma = video.subarray(video.length - 640 * 480 * 1.5, video.length - 640 * 480 * 0.5);
    const rgba = new Uint8ClampedArray(640 * 480 * 4);
    luma.forEach((y, i) => rgba.set([y, y, y, 255], i * 4));
    expect(jsQR(rgba, 640, 480)?.data).toBe(text);
    // White around the picture, neutral chroma.
    expect(luma[0]).toBe(255);
    expect(video[video.length - 1]).toBe(128);
  });
});
