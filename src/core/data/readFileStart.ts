// Reads only the first bytes of a file: enough for magic numbers and headers.
import { open } from 'node:fs/promises';

/** The first `length` bytes of a file (fewer when it is shorter). */
export async function readFileStart(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
