// The common output of the GIF, BMP and WebP decoders before alpha is flattened and channels chosen.

/** Pixels packed [height, width, 4] as R, G, B, A bytes, row-major, top row first. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}
