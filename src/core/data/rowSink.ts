// Where a decoder hands an image, one row at a time, top row first: a full-image collector, or the
// model-input builder that resizes while rows arrive (so a large image is never held whole).

export interface RowSink {
  /** Called once, before the first row: the image's size and its channels (1 grey, 3 RGB). */
  start(width: number, height: number, channels: 1 | 3): void;
  /** One row of `width * channels` 8-bit samples; the array may be reused after the call returns. */
  row(data: Uint8Array): void;
}
