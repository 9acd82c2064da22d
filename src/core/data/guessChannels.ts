// Chooses a folder dataset's channel count from the headers of a sample of its images, without decoding.
import { readImageFile } from './readImageFile';
import { readImageHeader } from './imageHeader';
import { readFileStart } from './readFileStart';

// Headers (PNG IHDR + PLTE, JPEG frame header) almost always sit in the first 64 KiB; when one does
// not (a JPEG with a large embedded profile), the whole file is read.
const HEADER_BYTES = 64 * 1024;

async function channelsOf(path: string): Promise<1 | 3 | undefined> {
  try {
    const start = await readFileStart(path, HEADER_BYTES);
    try {
      return readImageHeader(start).channels;
    } catch {
      if (start.length < HEADER_BYTES) return undefined;
      return readImageHeader(await readImageFile(path)).channels;
    }
  } catch {
    return undefined; // unreadable files are reported when they are decoded
  }
}

/**
 * 1 when every readable image of an evenly spaced sample is greyscale (grey PNG, grey palette,
 * one-component JPEG), else 3. A colour image outside the sample is later converted to grey.
 */
export async function guessChannels(files: readonly string[], sampleSize = 64): Promise<1 | 3> {
  const count = Math.min(sampleSize, files.length);
  let sawGrey = false;
  for (let k = 0; k < count; k++) {
    const channels = await channelsOf(files[Math.floor((k * files.length) / count)]);
    if (channels === 3) return 3;
    if (channels === 1) sawGrey = true;
  }
  return sawGrey ? 1 : 3;
}
