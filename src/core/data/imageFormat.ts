// Which image format a file holds, told from its first bytes (never from its name), and which
// file names look like images at all.

/** Formats the readers decode. */
export type SupportedImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';
/** Formats recognised only to name them in a skip reason. */
export type ImageFormat = SupportedImageFormat | 'tiff' | 'heif';

/** The decodable formats as a user reads them in messages. */
export const SUPPORTED_FORMATS_TEXT = 'PNG, JPEG, GIF, BMP or WebP';

/** How many leading bytes `sniffImageFormat` needs. */
export const IMAGE_MAGIC_BYTES = 12;

/** Extensions of the formats the readers decode. */
export const SUPPORTED_IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.png', '.jpg', '.jpeg', '.jpe', '.jfif', '.gif', '.bmp', '.dib', '.webp',
]);

/** Extensions of image formats the readers recognise but cannot decode. */
export const OTHER_IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.tif', '.tiff', '.heic', '.heif', '.avif']);

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** The image format of a file from its first bytes, or undefined when it is not an image we know. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  // "BM" alone is too weak (text files start with it); the BMP header also stores two zero reserved words.
  if (startsWith(bytes, ascii('BM')) && startsWith(bytes, [0, 0, 0, 0], 6)) return 'bmp';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, ascii('ftyp'), 4)) return 'heif';
  return undefined;
}

/** True for the formats `decodeImage` reads. */
export function isSupportedImageFormat(format: ImageFormat | undefined): format is SupportedImageFormat {
  return format === 'png' || format === 'jpeg' || format === 'gif' || format === 'bmp' || format === 'webp';
}

/** A user-facing name of a format, for messages. */
export function imageFormatName(format: ImageFormat): string {
  switch (format) {
    case 'png': return 'PNG';
    case 'jpeg': return 'JPEG';
    case 'gif': return 'GIF';
    case 'bmp': return 'BMP';
    case 'webp': return 'WebP';
    case 'tiff': return 'TIFF';
    case 'heif': return 'HEIF/AVIF';
  }
}
