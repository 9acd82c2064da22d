// Reads, decodes and preprocesses a list of image files on the calling thread: the one routine the
// decode workers run and the fallback when workers cannot start, so both yield identical pixels.
import type { ImageShape } from '../runSpec';
import { decodeImageToModelInput } from './imageDecode';
import { readImageFileSync } from './readImageFile';
import { errorMessage } from '../errorMessage';

export interface DecodeFailure {
  /** Position in the requested path list. */
  index: number;
  reason: string;
}

export interface DecodedFiles {
  /** Model inputs packed [paths.length, ...shape]; a failed file's slot is left zero. */
  pixels: Uint8Array;
  failures: DecodeFailure[];
}

/** Why reading a file failed, in words a user can act on. */
function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file disappeared';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return errorMessage(error);
}

/**
 * Images decoded side by side: libvips decodes on its own threads (one per image), so a second image
 * in flight keeps a core busy while this thread resizes or reads the next file.
 */
const IN_FLIGHT = 2;

export async function decodeImageFiles(paths: readonly string[], shape: ImageShape): Promise<DecodedFiles> {
  const exampleBytes = shape[0] * shape[1] * shape[2];
  const pixels = new Uint8Array(paths.length * exampleBytes);
  const failures: DecodeFailure[] = [];
  const decodeOne = async (index: number): Promise<void> => {
    let bytes: Uint8Array;
    try {
      bytes = readImageFileSync(paths[index]);
    } catch (error) {
      failures.push({ index, reason: describeReadError(error) });
      return;
    }
    try {
      pixels.set(await decodeImageToModelInput(bytes, shape), index * exampleBytes);
    } catch (error) {
      // Whatever one file does (corrupt, truncated, oversized, or a decoder running out of memory on
      // it), the others are still decoded.
      failures.push({ index, reason: error instanceof Error ? error.message : String(error) });
    }
  };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < paths.length) await decodeOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, paths.length) }, lane));
  failures.sort((a, b) => a.index - b.index);
  return { pixels, failures };
}
