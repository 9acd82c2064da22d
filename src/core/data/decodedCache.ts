// The decoded-dataset cache: the model inputs (compact uint8) a folder dataset's images were decoded
// and resized to, kept on disk so that later runs, resumes and sweep trials on the same folder skip
// decoding. One entry per folder and model input shape; inside it each file is remembered by its
// path, size and modification time, so files added, changed or removed are decoded (or dropped) on
// their own. Entries are evicted least recently used first when the cache outgrows its size cap.
// An entry is two files written atomically (temporary name, then rename); a damaged or foreign one
// is ignored and rewritten, never trusted.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ImageShape } from '../runSpec';
import type { DecodeFailure } from './decodeImageFiles';

/**
 * Bumped whenever decoding or resizing changes what pixels a file gives (a decoder choice, a resize
 * kernel, a colour rule): entries of another version are never read.
 */
export const DECODED_CACHE_VERSION = 'libvips-1';

/** Default size cap: 2 GiB. */
export const DEFAULT_DECODED_CACHE_CAP_BYTES = 2 * 1024 ** 3;

/** Environment variable naming the cache folder ("off" turns the cache off); the extension sets it for its processes. */
export const DECODED_CACHE_ENV = 'CLASSIFIER_LAB_DECODED_CACHE';

export interface DecodedCacheOptions {
  /** The cache folder; created on first use. */
  dir: string;
  /** Largest total size of all entries; least recently used entries are evicted beyond it. */
  capBytes?: number;
}

/** The cache to use when none is given: the environment's, else the user's cache folder; undefined when turned off. */
export function defaultDecodedCache(env: NodeJS.ProcessEnv = process.env): DecodedCacheOptions | undefined {
  const configured = env[DECODED_CACHE_ENV];
  if (configured === 'off') return undefined;
  if (configured) return { dir: configured };
  const base = env.XDG_CACHE_HOME || (process.platform === 'win32' ? env.LOCALAPPDATA : undefined) || join(homedir(), '.cache');
  return { dir: join(base, 'classifier-lab', 'decoded-images') };
}

interface FileRecord {
  size: number;
  mtimeMs: number;
  /** Index of the file's model input in pixels.bin; absent for a file that failed to decode. */
  slot?: number;
  /** Why the file could not be decoded. */
  failure?: string;
}

interface EntryIndex {
  version: string;
  root: string;
  shape: ImageShape;
  files: Record<string, FileRecord>;
}

/** What the cache knew, and what it decoded afresh, for one load. */
export interface CachedDecodeStats {
  reused: number;
  decoded: number;
}

function entryName(root: string, shape: ImageShape): string {
  return createHash('sha256').update(JSON.stringify([DECODED_CACHE_VERSION, root, shape])).digest('hex').slice(0, 32);
}

async function readIndex(dir: string, root: string, shape: ImageShape): Promise<{ index: EntryIndex; pixels: Uint8Array } | undefined> {
  try {
    const index = JSON.parse(await fs.readFile(join(dir, 'index.json'), 'utf8')) as EntryIndex;
    if (index.version !== DECODED_CACHE_VERSION || index.root !== root || JSON.stringify(index.shape) !== JSON.stringify(shape)) return undefined;
    const pixels = await fs.readFile(join(dir, 'pixels.bin'));
    const exampleBytes = shape[0] * shape[1] * shape[2];
    for (const record of Object.values(index.files)) {
      if (record.slot !== undefined && (record.slot + 1) * exampleBytes > pixels.length) return undefined;
    }
    return { index, pixels };
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const pending = `${path}.${process.pid}.pending`;
  await fs.writeFile(pending, data);
  await fs.rename(pending, path);
}

/** Size and modification time of each file; undefined for one that cannot be stat'ed (it is decoded, and fails there). */
async function statAll(paths: readonly string[]): Promise<({ size: number; mtimeMs: number } | undefined)[]> {
  const stats: ({ size: number; mtimeMs: number } | undefined)[] = [];
  for (let i = 0; i < paths.length; i += 64) {
    const part = await Promise.all(paths.slice(i, i + 64).map((p) => fs.stat(p).then((s) => ({ size: s.size, mtimeMs: s.mtimeMs }), () => undefined)));
    stats.push(...part);
  }
  return stats;
}

/**
 * The model inputs of `paths` (files of the folder dataset at `root`) packed [paths.length, ...shape],
 * and the files that failed, as `decode` would give them: from the cache for every file whose size and
 * modification time are unchanged, from `decode` for the rest (called once, with those files only).
 * The entry is then rewritten with exactly these files and the cache trimmed to its cap. A cache that
 * cannot be read or written is skipped: the dataset still loads.
 */
export async function decodeThroughCache(
  cache: DecodedCacheOptions,
  root: string,
  paths: readonly string[],
  shape: ImageShape,
  decode: (paths: readonly string[]) => Promise<{ pixels: Uint8Array; failures: DecodeFailure[] }>,
): Promise<{ pixels: Uint8Array; failures: DecodeFailure[]; stats: CachedDecodeStats }> {
  const exampleBytes = shape[0] * shape[1] * shape[2];
  const dir = join(cache.dir, entryName(root, shape));
  const [cached, stats] = await Promise.all([readIndex(dir, root, shape), statAll(paths)]);
  const pixels = new Uint8Array(paths.length * exampleBytes);
  const failures: DecodeFailure[] = [];
  const missing: number[] = [];
  paths.forEach((path, index) => {
    const record = cached?.index.files[path];
    const stat = stats[index];
    if (!record || !stat || record.size !== stat.size || record.mtimeMs !== stat.mtimeMs) {
      missing.push(index);
    } else if (record.slot !== undefined) {
      pixels.set(cached!.pixels.subarray(record.slot * exampleBytes, (record.slot + 1) * exampleBytes), index * exampleBytes);
    } else {
      failures.push({ index, reason: record.failure ?? 'could not be decoded' });
    }
  });
  if (missing.length > 0) {
    const fresh = await decode(missing.map((i) => paths[i]));
    missing.forEach((index, k) => pixels.set(fresh.pixels.subarray(k * exampleBytes, (k + 1) * exampleBytes), index * exampleBytes));
    for (const failure of fresh.failures) failures.push({ index: missing[failure.index], reason: failure.reason });
  }
  failures.sort((a, b) => a.index - b.index);
  const unchanged = missing.length === 0 && cached !== undefined && Object.keys(cached.index.files).length === paths.length;
  try {
    if (!unchanged) await writeEntry(dir, root, shape, paths, stats, pixels, failures);
    // Every use is stamped by this clock: the file system's own stamp of a fresh write is coarser and can
    // read older than an entry touched a moment before.
    await touch(dir);
    await trimCache(cache, dir);
  } catch {
    // A full disk or a read-only cache folder costs the next run its head start, nothing more.
  }
  return { pixels, failures, stats: { reused: paths.length - missing.length, decoded: missing.length } };
}

async function writeEntry(
  dir: string, root: string, shape: ImageShape, paths: readonly string[],
  stats: readonly ({ size: number; mtimeMs: number } | undefined)[], pixels: Uint8Array, failures: readonly DecodeFailure[],
): Promise<void> {
  const failed = new Map(failures.map((f) => [f.index, f.reason]));
  const files: Record<string, FileRecord> = {};
  paths.forEach((path, index) => {
    const stat = stats[index];
    if (!stat) return;
    const reason = failed.get(index);
    files[path] = reason === undefined ? { ...stat, slot: index } : { ...stat, failure: reason };
  });
  await fs.mkdir(dir, { recursive: true });
  // pixels.bin first: an index never points into pixels it does not describe (it is checked on read too).
  await writeAtomically(join(dir, 'pixels.bin'), pixels);
  const index: EntryIndex = { version: DECODED_CACHE_VERSION, root, shape, files };
  await writeAtomically(join(dir, 'index.json'), JSON.stringify(index));
}

/** Marks an entry used now (its folder's modification time is its last use). */
async function touch(dir: string): Promise<void> {
  const now = new Date();
  await fs.utimes(dir, now, now);
}

/** Total size of the cache and its entries, most recently used first. */
export async function cacheEntries(cacheDir: string): Promise<{ dir: string; bytes: number; usedMs: number }[]> {
  let names: string[];
  try {
    names = await fs.readdir(cacheDir);
  } catch {
    return [];
  }
  const entries = [];
  for (const name of names) {
    const dir = join(cacheDir, name);
    try {
      const stat = await fs.stat(dir);
      if (!stat.isDirectory()) continue;
      let bytes = 0;
      for (const file of await fs.readdir(dir)) bytes += (await fs.stat(join(dir, file))).size;
      entries.push({ dir, bytes, usedMs: stat.mtimeMs });
    } catch {
      // removed meanwhile
    }
  }
  return entries.sort((a, b) => b.usedMs - a.usedMs);
}

/** Evicts least recently used entries (never `keep`) until the cache fits its cap. */
async function trimCache(cache: DecodedCacheOptions, keep: string): Promise<void> {
  const cap = cache.capBytes ?? DEFAULT_DECODED_CACHE_CAP_BYTES;
  const entries = await cacheEntries(cache.dir);
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  for (const entry of [...entries].reverse()) {
    if (total <= cap) break;
    if (entry.dir === keep) continue;
    await fs.rm(entry.dir, { recursive: true, force: true });
    total -= entry.bytes;
  }
}

/** Removes every entry; returns the bytes freed. */
export async function clearDecodedCache(cacheDir: string): Promise<number> {
  const entries = await cacheEntries(cacheDir);
  for (const entry of entries) await fs.rm(entry.dir, { recursive: true, force: true });
  return entries.reduce((sum, e) => sum + e.bytes, 0);
}
