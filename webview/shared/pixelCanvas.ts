// Raw pixels on a canvas, for every page that shows images it was sent as bytes (examples inside binary
// datasets, mean images, augmented training images): base64 of height x width x channels bytes.

export interface PixelImage {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
  /** base64 of height x width x channels bytes, row-major, channels interleaved. */
  pixels: string;
}

/** Draws `image` on `canvas` at its own size (CSS scales it; `image-rendering: pixelated` keeps it sharp). */
export function drawPixels(canvas: HTMLCanvasElement, image: PixelImage): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  if (!context) return;
  const bytes = Uint8Array.from(atob(image.pixels), (c) => c.charCodeAt(0));
  const data = context.createImageData(image.width, image.height);
  for (let p = 0; p < image.width * image.height; p++) {
    for (let c = 0; c < 3; c++) data.data[p * 4 + c] = bytes[p * image.channels + (image.channels === 1 ? 0 : c)];
    data.data[p * 4 + 3] = 255;
  }
  context.putImageData(data, 0, 0);
}
