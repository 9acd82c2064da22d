// A small image as plain bytes: the shape of example pixels, mean images and samples in reports. Types
// only, so views (and their type checks without Node) can name it.

export interface ExamplePixels {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
  /** height x width x channels bytes, row-major, channels interleaved. */
  data: Uint8Array;
}
