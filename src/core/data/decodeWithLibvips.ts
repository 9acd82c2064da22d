// Decodes a PNG, JPEG, GIF or WebP with libvips straight to a model input: shrink-on-load (a 12-MP
// JPEG is decoded at an eighth of its size when the model wants 32x32), the EXIF orientation applied,
// an embedded ICC profile converted to sRGB, transparency composited onto white as everywhere else,
// resized to the model's size; the channel conversion is the one our decoders share (ModelInputBuilder).
import type { ImageShape } from '../runSpec';
import type { ImageHeader } from './imageHeader';
import { imageFormatName } from './imageFormat';
import { MAX_IMAGE_PIXELS } from './imageLimits';
import { ModelInputBuilder } from './imagePreprocess';
import { libvips } from './libvips';

/** The first line of a libvips error, without its trailing newline. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split('\n')[0].replace(/^\w+load(_buffer)?: /, '');
}

/**
 * The model input (uint8 packed [height, width, channels] of `shape`) for an image file's bytes whose
 * header was read and checked against the image limits. Throws an Error with a user-readable reason
 * for data libvips cannot decode (corrupt or truncated).
 */
export async function decodeWithLibvips(bytes: Uint8Array, header: ImageHeader, shape: ImageShape): Promise<Uint8Array> {
  const sharp = libvips();
  const [outH, outW] = shape;
  // Grey sources stay one band (a grey model reads them as they are, a colour one replicates them);
  // colour sources become sRGB, and a grey model then takes their BT.601 luma as for our decoders.
  const bands = header.channels;
  let result: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    result = await sharp(bytes, {
      // Our header check ran first; this is libvips' own guard on what it decodes.
      limitInputPixels: MAX_IMAGE_PIXELS,
      // Damaged data fails, as it does in our decoders: a scan cut short and closed with an
      // end-of-image marker is only a warning to libjpeg, which would fill the missing rows with grey.
      failOn: 'warning',
      autoOrient: true,
      pages: 1,
    })
      // 'fill': the whole picture, stretched to the model's aspect ratio (as our resize does); the linear
      // kernel averages when shrinking and interpolates when enlarging, as our resize does.
      .resize(outW, outH, { fit: 'fill', kernel: 'linear' })
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace(bands === 1 ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new Error(`corrupt ${imageFormatName(header.format)} (${reasonOf(error)})`);
  }
  const { data, info } = result;
  if (info.width !== outW || info.height !== outH || info.channels !== bands || data.length !== outW * outH * bands) {
    throw new Error(`corrupt ${imageFormatName(header.format)} (decoded to ${info.width} x ${info.height} x ${info.channels} instead of ${outW} x ${outH} x ${bands})`);
  }
  const builder = new ModelInputBuilder(shape);
  builder.start(outW, outH, bands);
  const row = outW * bands;
  for (let y = 0; y < outH; y++) builder.row(data.subarray(y * row, (y + 1) * row));
  return builder.finish();
}
