// Reads, decodes and preprocesses a list of image files on the calling thread: the one routine the
// decode workers run and the fallback when workers cannot start, so both yield identical pixels.
import type { ImageShape } from '../runSpec';
import { decodeImageToModelInput } from './imageDecode';
import { readImageFileSync } from './readImageFile';

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
  return (error as Error).message;
}

export function decodeImageFiles(paths: readonly string[], shape: ImageShape): DecodedFiles {
  const exampleBytes = shape[0] * shape[1] * shape[2];
  const pixels = new Uint8Array(paths.length * exampleBytes);
  const failures: DecodeFailure[] = [];
  paths.forEach((path, index) => {
    let bytes: Uint8Array;
    try {
      bytes = readImageFileSync(path);
    } catch (error) {
      failures.push({ index, reason: describeReadError(error) });
      return;
    }
    try {
      pixels.set(decodeImageToModelInput(bytes, shape), index * exampleBytes);
    } catch (error) {
      // Whatever one file does (corrupt, truncated, oversized, or a decoder running out of memory on
      // it), the others are still decoded.
      failures.push({ index, reason: error instanceof Error ? error.message : String(error) });
    }
  });
  return { pixels, failures };
}
