import { PNG } from "pngjs";

/**
 * A still picture as a Y4M video, the format Chromium's fake camera plays
 * (`--use-file-for-fake-video-capture=<file>.y4m`, looped): `image` (a PNG, e.g. a screenshot of
 * the QR code) centred on a white frame, `scale` times its size (nearest neighbour, so a QR's
 * modules stay sharp), repeated `frames` times. 4:2:0, full-range BT.601 (C420jpeg).
 */
export function pngToY4m(image: Buffer, { width = 640, height = 480, scale = 1, frames = 5 } = {}): Buffer {
  if (width % 2 || height % 2) throw new Error("Y4M 4:2:0 needs an even width and height");
  const png = PNG.sync.read(image);
  const drawnWidth = Math.round(png.width * scale);
  const drawnHeight = Math.round(png.height * scale);
  if (drawnWidth > width || drawnHeight > height) throw new Error(`a ${drawnWidth}x${drawnHeight} image does not fit a ${width}x${height} frame`);
  const left = Math.floor((width - drawnWidth) / 2);
  const top = Math.floor((height - drawnHeight) / 2);

  // The frame in RGB: white, with the image composited over it (its alpha against white).
  const rgb = new Uint8Array(width * height * 3).fill(255);
  for (let y = 0; y < drawnHeight; y++) {
    for (let x = 0; x < drawnWidth; x++) {
      const source = (Math.floor(y / scale) * png.width + Math.floor(x / scale)) * 4;
      const alpha = png.data[source + 3]! / 255;
      const target = ((top + y) * width + left + x) * 3;
      for (let c = 0; c < 3; c++) rgb[target + c] = Math.round(png.data[source + c]! * alpha + 255 * (1 - alpha));
    }
  }

  const luma = new Uint8Array(width * height);
  const chromaU = new Uint8Array((width / 2) * (height / 2));
  const chromaV = new Uint8Array((width / 2) * (height / 2));
  const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
  for (let i = 0; i < width * height; i++) {
    luma[i] = clamp(0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!);
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < width / 2; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const i = ((y * 2 + dy) * width + x * 2 + dx) * 3;
        r += rgb[i]! / 4;
        g += rgb[i + 1]! / 4;
        b += rgb[i + 2]! / 4;
      }
      chromaU[y * (width / 2) + x] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
      chromaV[y * (width / 2) + x] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
    }
  }

  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chromaU, chromaV]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}
