// Which decoder an image file goes through, decided from its header alone, so the same file always
// takes the same path in training, classification and the dataset cache. libvips (sharp) decodes
// photos: it shrinks JPEG and WebP while decoding, turns images by their EXIF orientation and converts
// embedded colour profiles to sRGB. Our own decoders (imageDecode.ts) keep the small plain images,
// where they measured faster than a libvips call (bench/benchDecode.ts), and BMP, which libvips lacks.
import type { SupportedImageFormat } from './imageFormat';
import type { ImageHeader } from './imageHeader';

export type ImageDecoder = 'ours' | 'libvips';

/**
 * Largest image, in pixels, our own decoders take when it needs neither turning nor colour
 * conversion. Measured (decode + resize to 32x32, CPU time per image): a libvips call costs about
 * 0.5 ms however small the image, our PNG decoder is faster up to about 256x256 and jpeg-js up to
 * about 128x128; GIFs are palette images our decoder reads as fast as PNGs, and libwebp in wasm keeps
 * up with libvips' WebP decoder only for small images.
 */
export const OUR_LARGEST_PIXELS: Readonly<Record<SupportedImageFormat, number>> = {
  png: 256 * 256,
  jpeg: 128 * 128,
  gif: 256 * 256,
  webp: 128 * 128,
  bmp: Number.POSITIVE_INFINITY,
};

/** True when showing the image right needs more than its stored pixels: a turn or mirror, or a colour profile. */
export function needsColourOrTurn(header: ImageHeader): boolean {
  return header.iccProfile === true || (header.orientation !== undefined && header.orientation !== 1);
}

export function chooseImageDecoder(header: ImageHeader): ImageDecoder {
  // libvips (as sharp builds it) reads no BMP: those stay ours whatever their size.
  if (header.format === 'bmp') return 'ours';
  if (needsColourOrTurn(header)) return 'libvips';
  return header.width * header.height <= OUR_LARGEST_PIXELS[header.format] ? 'ours' : 'libvips';
}
