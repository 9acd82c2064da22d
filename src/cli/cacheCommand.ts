// The decoded-dataset cache on the command line: `--no-cache` and `--cache-dir DIR`, accepted by every
// command that loads a dataset (they set the cache for this process and the trials it starts), and
// `classifier-lab cache clear|info [--cache-dir DIR] [--json]`.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { cacheEntries, clearDecodedCache, defaultDecodedCache, DECODED_CACHE_ENV } from '../core/data/decodedCache';
import { UsageError } from './usageError';

export const CACHE_USAGE = 'classifier-lab cache clear|info [--cache-dir DIR] [--json]';

/**
 * Takes `--no-cache` and `--cache-dir DIR` out of a command's arguments and applies them through the
 * environment (so sweep trials and Slurm jobs started from here inherit them); returns the rest.
 */
export function takeCacheFlags(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--no-cache') {
      env[DECODED_CACHE_ENV] = 'off';
    } else if (arg === '--cache-dir' || arg.startsWith('--cache-dir=')) {
      const value = arg === '--cache-dir' ? args[++i] : arg.slice('--cache-dir='.length);
      if (!value) throw new UsageError('--cache-dir needs a folder.');
      env[DECODED_CACHE_ENV] = resolve(value);
    } else {
      rest.push(arg);
    }
  }
  return rest;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

export async function cacheCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean' } } });
  const cache = defaultDecodedCache();
  if (!cache) throw new UsageError('The decoded image cache is turned off (--no-cache or CLASSIFIER_LAB_DECODED_CACHE=off).');
  if (action === 'clear') {
    const freed = await clearDecodedCache(cache.dir);
    if (values.json) process.stdout.write(`${JSON.stringify({ type: 'cacheCleared', dir: cache.dir, bytes: freed })}\n`);
    else process.stdout.write(`Cleared the decoded image cache in ${cache.dir} (${megabytes(freed)} freed).\n`);
    return 0;
  }
  if (action === 'info') {
    const entries = await cacheEntries(cache.dir);
    const bytes = entries.reduce((sum, e) => sum + e.bytes, 0);
    if (values.json) process.stdout.write(`${JSON.stringify({ type: 'cacheInfo', dir: cache.dir, entries: entries.length, bytes })}\n`);
    else process.stdout.write(`Decoded image cache: ${cache.dir}, ${entries.length} dataset${entries.length === 1 ? '' : 's'}, ${megabytes(bytes)}.\n`);
    return 0;
  }
  throw new UsageError(`cache needs clear or info: ${CACHE_USAGE}`);
}
