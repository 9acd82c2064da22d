// Reads an image file whole, refusing one larger than MAX_IMAGE_FILE_BYTES before reading it
// (a dataset folder or a classify argument may hold anything, a disk image named cat.png included).
import { closeSync, fstatSync, openSync, readSync, promises as fs } from 'node:fs';
import { MAX_IMAGE_FILE_BYTES } from './imageLimits';

function tooLarge(size: number): Error {
  return new Error(`file too large (${Math.round(size / (1024 * 1024))} MB; an image file may be at most ${MAX_IMAGE_FILE_BYTES / (1024 * 1024)} MB)`);
}

/** The file's bytes; throws the file error (ENOENT...) as is, or an Error for a file over the limit. */
export function readImageFileSync(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > MAX_IMAGE_FILE_BYTES) throw tooLarge(size);
    const bytes = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const read = readSync(fd, bytes, filled, size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** As readImageFileSync, without blocking the thread. */
export async function readImageFile(path: string): Promise<Uint8Array> {
  const handle = await fs.open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_IMAGE_FILE_BYTES) throw tooLarge(size);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
