// Crash-safe file writes: write to a temporary sibling, flush, then rename over the target.
import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Windows refuses to rename over a file another process has open (a viewer reading run.json, an
 * antivirus scan) with EPERM/EACCES/EBUSY for a moment; retry briefly there. Elsewhere those codes are real.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= 10) throw error;
      await sleep(20 * (attempt + 1));
    }
  }
}

/** Replaces `path` with `data` so that readers see either the old or the new content, never a mix. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporarySibling(path);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await renameWithRetry(tmp, path);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Fills a folder by calling `fill` on a temporary sibling, then swaps it in place of `dir`,
 * so a reader never sees a folder with only some of its files (a model without its weights).
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tmp = temporarySibling(dir);
  await fs.mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
  const old = `${tmp}.old`;
  let hadOld = false;
  try {
    await renameWithRetry(dir, old);
    hadOld = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await fs.rm(tmp, { recursive: true, force: true });
      throw error;
    }
  }
  try {
    await renameWithRetry(tmp, dir);
  } catch (error) {
    // Put the previous folder back rather than leave none.
    if (hadOld) await fs.rename(old, dir).catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}
