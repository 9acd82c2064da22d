// Serialises read-modify-write of run.json between processes (the trainer's progress, the editor's rename),
// so neither overwrites the other's change with a stale copy.
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunStoreError } from './runStoreError';

/** A holder keeps the lock for milliseconds; a lock this old was left by a process that died holding it. */
const STALE_LOCK_MS = 10_000;
/** Longer than STALE_LOCK_MS, so a dead holder's lock is always broken before a waiter gives up. */
const WAIT_LIMIT_MS = 15_000;

/** Runs `fn` while holding the lock folder `lockDir` (mkdir is atomic on every platform, O_EXCL files are not on all network drives). */
export async function withRecordLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw RunStoreError.fromFileError(error, 'write', lockDir);
    }
    const stat = await fs.stat(lockDir).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) {
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > WAIT_LIMIT_MS) {
      throw new RunStoreError(`Timed out waiting for another process to finish writing ${lockDir}.`, 'ETIMEDOUT', lockDir);
    }
    await sleep(5 + Math.random() * 20);
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
