// Crash-safe writes: a file is written to a temporary sibling, flushed, then renamed over the target;
// a folder is filled under a temporary name and swapped in by steps a crash can always be finished from.
import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeFileOps, type FileOps } from './fileOps';

function randomToken(): string {
  return `${process.pid}.${randomBytes(4).toString('hex')}`;
}

function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomToken()}.tmp`);
}

/**
 * Windows refuses to rename over a file another process has open (a viewer reading run.json, an
 * antivirus scan) with EPERM/EACCES/EBUSY for a moment; retry briefly there. Elsewhere those codes are real.
 */
async function renameWithRetry(ops: FileOps, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ops.rename(from, to);
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
export async function writeFileAtomic(path: string, data: string | Uint8Array, ops: FileOps = nodeFileOps): Promise<void> {
  const tmp = temporarySibling(path);
  const handle = await ops.open(tmp, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await ops.rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await renameWithRetry(ops, tmp, path);
  } catch (error) {
    await ops.rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

export async function writeJsonAtomic(path: string, value: unknown, ops: FileOps = nodeFileOps): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', ops);
}

// A folder swap leaves, at any moment, `dir` and/or siblings named `.<name>.<token>.<stage>`:
//   partial  being filled: incomplete, always safe to delete;
//   next     complete and flushed, waiting to become `dir`;
//   prev     the folder `dir` held before, moved aside, deleted once `next` is in place.
type SwapStage = 'partial' | 'next' | 'prev';
const SWAP_STAGES: readonly SwapStage[] = ['partial', 'next', 'prev'];

function swapSibling(dir: string, token: string, stage: SwapStage): string {
  return join(dirname(dir), `.${basename(dir)}.${token}.${stage}`);
}

interface SwapLeftover {
  path: string;
  stage: SwapStage;
  mtimeMs: number;
}

/** Siblings of `dir` that a swap of `dir` left behind (a crash, or a swap in progress). */
async function swapLeftovers(dir: string): Promise<SwapLeftover[]> {
  const prefix = `.${basename(dir)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dirname(dir));
  } catch {
    return [];
  }
  const found: SwapLeftover[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const stage = SWAP_STAGES.find((s) => name.endsWith(`.${s}`));
    if (!stage) continue;
    const path = join(dirname(dir), name);
    const stat = await fs.stat(path).catch(() => undefined);
    if (stat?.isDirectory()) found.push({ path, stage, mtimeMs: stat.mtimeMs });
  }
  // Newest first.
  return found.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** Flushes every file under `dir`, so a power cut after the swap cannot leave the new folder's files empty. */
async function syncFiles(dir: string, ops: FileOps): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await syncFiles(path, ops);
    } else if (entry.isFile()) {
      const handle = await ops.open(path, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  }
}

/**
 * Fills a folder by calling `fill` on an empty temporary sibling, then swaps it in place of `dir`,
 * so a reader never sees a folder with only some of its files (a model without its weights). A crash
 * at any step leaves either `dir` or a complete sibling to finish the swap from: `readableDir` finds
 * it, and `recoverDir` (called by the folder's one writer) puts it back in place.
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>, ops: FileOps = nodeFileOps): Promise<void> {
  const token = randomToken();
  const partial = swapSibling(dir, token, 'partial');
  const next = swapSibling(dir, token, 'next');
  const prev = swapSibling(dir, token, 'prev');
  await ops.mkdir(partial, { recursive: true });
  try {
    await fill(partial);
    await syncFiles(partial, ops);
    await renameWithRetry(ops, partial, next);
  } catch (error) {
    await ops.rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  let hadOld = false;
  try {
    await renameWithRetry(ops, dir, prev);
    hadOld = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await ops.rm(next, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }
  try {
    await renameWithRetry(ops, next, dir);
  } catch (error) {
    // Put the previous folder back rather than leave none.
    if (hadOld) await ops.rename(prev, dir).catch(() => undefined);
    await ops.rm(next, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  if (hadOld) await ops.rm(prev, { recursive: true, force: true });
}

/**
 * Where to read the folder `dir` from: `dir` itself, or, when a swap was caught between its two renames
 * (by a crash, or right now by its writer), the complete folder that is about to replace it (else the
 * one it replaces). Undefined when there is neither. Never changes the disk.
 */
export async function readableDir(dir: string): Promise<string | undefined> {
  const exists = await fs.stat(dir).then((stat) => stat.isDirectory(), () => false);
  if (exists) return dir;
  const leftovers = await swapLeftovers(dir);
  return (leftovers.find((l) => l.stage === 'next') ?? leftovers.find((l) => l.stage === 'prev'))?.path;
}

/**
 * Finishes a swap of `dir` that a crash interrupted, and removes what swaps left behind: a missing `dir`
 * is restored from the complete new folder (else the previous one). Only the folder's one writer may call
 * this (a reader would race a swap in progress); returns true when `dir` had to be restored.
 */
export async function recoverDir(dir: string, ops: FileOps = nodeFileOps): Promise<boolean> {
  const leftovers = await swapLeftovers(dir);
  if (leftovers.length === 0) return false;
  let restored = false;
  const exists = await fs.stat(dir).then((stat) => stat.isDirectory(), () => false);
  if (!exists) {
    const source = leftovers.find((l) => l.stage === 'next') ?? leftovers.find((l) => l.stage === 'prev');
    if (source) {
      await renameWithRetry(ops, source.path, dir);
      restored = true;
    }
  }
  for (const leftover of leftovers) {
    await ops.rm(leftover.path, { recursive: true, force: true });
  }
  return restored;
}
