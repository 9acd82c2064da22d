// Chooses a folder dataset's channel count from the headers of a sample of its images, without decoding.
import { readImageFileHeader } from './imageHeaderSample';

/**
 * 1 when every readable image of an evenly spaced sample is greyscale (grey PNG, grey palette,
 * one-component JPEG), else 3. A colour image outside the sample is later converted to grey.
 */
export async function guessChannels(files: readonly string[], sampleSize = 64): Promise<1 | 3> {
  const count = Math.min(sampleSize, files.length);
  let sawGrey = false;
  for (let k = 0; k < count; k++) {
    const channels = (await readImageFileHeader(files[Math.floor((k * files.length) / count)]))?.channels;
    if (channels === 3) return 3;
    if (channels === 1) sawGrey = true;
  }
  return sawGrey ? 1 : 3;
}
