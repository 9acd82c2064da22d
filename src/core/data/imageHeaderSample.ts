// Reads the headers of images in a folder dataset without decoding them: one file's, or an evenly spaced sample's.
import { readImageHeader, type ImageHeader } from './imageHeader';
import { readFileStart } from './readFileStart';
import { readImageFile } from './readImageFile';

// Headers (PNG IHDR + PLTE, JPEG frame header) almost always sit in the first 64 KiB; when one does
// not (a JPEG with a large embedded profile), the whole file is read.
const HEADER_BYTES = 64 * 1024;

/** The file's image header; undefined when it cannot be read (unreadable files are reported when they are decoded). */
export async function readImageFileHeader(path: string): Promise<ImageHeader | undefined> {
  try {
    const start = await readFileStart(path, HEADER_BYTES);
    try {
      return readImageHeader(start);
    } catch {
      if (start.length < HEADER_BYTES) return undefined;
      return readImageHeader(await readImageFile(path));
    }
  } catch {
    return undefined;
  }
}

/** The readable headers of at most `sampleSize` files spread evenly over `files`. */
export async function readHeaderSample(files: readonly string[], sampleSize = 64): Promise<ImageHeader[]> {
  const count = Math.min(sampleSize, files.length);
  const headers: ImageHeader[] = [];
  for (let k = 0; k < count; k++) {
    const header = await readImageFileHeader(files[Math.floor((k * files.length) / count)]);
    if (header) headers.push(header);
  }
  return headers;
}
