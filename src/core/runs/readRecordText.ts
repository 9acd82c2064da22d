// Reads run.json with a size cap: a record is a few kilobytes, so a huge file is not one (or is damaged),
// and reading it whole would cost the reader its memory.
import { promises as fs } from 'node:fs';
import { RunStoreError } from './runStoreError';

/**
 * Largest run.json read. A record is a few KB; the largest legitimate ones (thousands of classes with
 * per-class counts, long notes) stay far below 1 MB.
 */
export const MAX_RUN_RECORD_BYTES = 8 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * The text of run.json at `path`, read through one handle (so a file replaced meanwhile is read whole,
 * old or new). Throws the file error (ENOENT...) as is, and a RunStoreError (code EFBIG) for a file
 * larger than MAX_RUN_RECORD_BYTES, without reading it.
 */
export async function readRecordText(path: string): Promise<string> {
  const handle = await fs.open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_RUN_RECORD_BYTES) {
      throw new RunStoreError(
        `run.json is ${megabytes(size)}, more than the ${megabytes(MAX_RUN_RECORD_BYTES)} a run record can be: it is not a Classifier Lab run.json, or it is damaged`,
        'EFBIG', path);
    }
    // Read up to one byte past the cap, in case the file grew since stat.
    const buffer = Buffer.alloc(Math.min(size, MAX_RUN_RECORD_BYTES) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) {
        if (filled > MAX_RUN_RECORD_BYTES) {
          throw new RunStoreError(`run.json grew past ${megabytes(MAX_RUN_RECORD_BYTES)} while it was read`, 'EFBIG', path);
        }
        break;
      }
    }
    return buffer.subarray(0, filled).toString('utf8');
  } finally {
    await handle.close();
  }
}
