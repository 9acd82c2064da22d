// Serialises read-modify-write of run.json between processes (the trainer's progress, the editor's rename),
// so neither overwrites the other's change with a stale copy.
import { promises as fs } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeFileOps, type FileOps } from './fileOps';
import { isProcessAlive } from './reconcileStatus';
import { RunStoreError } from './runStoreError';

/** A holder keeps the lock for milliseconds; a lock this old was left by a process that died holding it. */
const STALE_LOCK_MS = 10_000;
/** Longer than STALE_LOCK_MS, so a dead holder's lock is always broken before a waiter gives up. */
const WAIT_LIMIT_MS = 15_000;
/** Inside the lock folder: `<pid> <hostname>` of the holder. */
const OWNER_FILE = 'owner';

export interface RecordLockOptions {
  ops?: FileOps;
  /** Whether a process of this machine lives (tests simulate a dead holder). */
  isAlive?: (pid: number) => boolean;
}

interface Owner {
  pid: number;
  hostname: string;
}

async function readOwner(lockDir: string): Promise<Owner | undefined> {
  const text = await fs.readFile(join(lockDir, OWNER_FILE), 'utf8').catch(() => undefined);
  const match = text === undefined ? null : /^(\d+) (.*)$/.exec(text.trim());
  return match ? { pid: Number(match[1]), hostname: match[2] } : undefined;
}

/**
 * True when the lock was left by a process that is gone: a holder on this machine whose pid no longer
 * exists, or, when the holder cannot be told (another machine, a lock without an owner file), a lock
 * older than STALE_LOCK_MS.
 */
async function isStale(lockDir: string, isAlive: (pid: number) => boolean): Promise<boolean> {
  const owner = await readOwner(lockDir);
  if (owner && owner.hostname === osHostname()) return !isAlive(owner.pid);
  const stat = await fs.stat(lockDir).catch(() => undefined);
  return stat !== undefined && Date.now() - stat.mtimeMs > STALE_LOCK_MS;
}

/**
 * Takes the lock: a folder holding the owner file, made under a temporary name and renamed into place,
 * so the lock never exists without its owner. False when another holder has it.
 */
async function tryAcquire(lockDir: string, ops: FileOps): Promise<boolean> {
  const token = randomBytes(4).toString('hex');
  const tmp = join(dirname(lockDir), `${basename(lockDir)}.${process.pid}.${token}.tmp`);
  await ops.mkdir(tmp);
  try {
    await ops.writeFile(join(tmp, OWNER_FILE), `${process.pid} ${osHostname()}\n`);
    await ops.rename(tmp, lockDir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    await ops.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    // Renaming onto a held lock fails with one of these, depending on the platform (the holder may have
    // released it since: the caller simply tries again). A real permission problem already failed the mkdir.
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM' || code === 'EACCES' || code === 'EISDIR') return false;
    throw error;
  }
}

/** Moves a dead holder's lock aside; if it turns out to be a live holder's (a race), puts it back. */
async function breakLock(lockDir: string, ops: FileOps, isAlive: (pid: number) => boolean): Promise<void> {
  const aside = `${lockDir}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await ops.rename(lockDir, aside);
  } catch {
    return; // someone else broke or released it first
  }
  if (!(await isStale(aside, isAlive))) {
    await ops.rename(aside, lockDir).catch(() => undefined);
    return;
  }
  await ops.rm(aside, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Runs `fn` while holding the lock folder `lockDir` (a rename onto a held lock fails on every platform;
 * O_EXCL files are not atomic on all network drives). A lock whose holder died is broken at once when
 * the holder was on this machine, else after STALE_LOCK_MS.
 */
export async function withRecordLock<T>(lockDir: string, fn: () => Promise<T>, options: RecordLockOptions = {}): Promise<T> {
  const ops = options.ops ?? nodeFileOps;
  const isAlive = options.isAlive ?? isProcessAlive;
  const started = Date.now();
  for (;;) {
    try {
      if (await tryAcquire(lockDir, ops)) break;
    } catch (error) {
      // Named after the file it guards (`.run.json.lock` guards run.json): that is what could not be written.
      throw RunStoreError.fromFileError(error, 'write', join(dirname(lockDir), basename(lockDir).replace(/^\./, '').replace(/\.lock$/, '')));
    }
    if (await isStale(lockDir, isAlive)) {
      await breakLock(lockDir, ops, isAlive);
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
    // Moved aside before it is deleted: deleting in place would leave, for a moment, an empty lock
    // folder that another process could rename its own lock onto.
    const released = `${lockDir}.${process.pid}.${randomBytes(4).toString('hex')}.released`;
    await ops.rename(lockDir, released)
      .then(() => ops.rm(released, { recursive: true, force: true }))
      .catch(() => undefined);
  }
}
