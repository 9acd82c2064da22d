// Decodes the first frame of a GIF into RGBA over the whole logical screen: pixels the frame does not
// cover and the frame's transparent colour stay alpha 0 (so they flatten onto white like PNG alpha).
import { GifReader } from 'omggif';
import type { RgbaImage } from './rgbaImage';

export function decodeGif(bytes: Uint8Array): RgbaImage {
  let reader: GifReader;
  try {
    reader = new GifReader(bytes);
  } catch (error) {
    throw new Error(`corrupt or truncated GIF (${(error as Error).message})`);
  }
  if (reader.numFrames() === 0) throw new Error('corrupt GIF (no image in the file)');
  const { width, height } = reader;
  const data = new Uint8Array(width * height * 4);
  try {
    reader.decodeAndBlitFrameRGBA(0, data);
  } catch (error) {
    throw new Error(`corrupt or truncated GIF (${(error as Error).message})`);
  }
  return { width, height, data };
}
