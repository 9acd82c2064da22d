// Run ids: folder names that sort by creation time and are safe to join onto the runs folder.
import { randomBytes } from 'node:crypto';

/** A run id is one path segment: letters, digits, `.`, `_`, `-`, not starting with a dot. */
const RUN_ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** True when `id` can name a run folder (guards against `..`, separators and hidden folders from untrusted input). */
export function isRunId(id: string): boolean {
  return RUN_ID_PATTERN.test(id);
}

/** Four random hex digits: 65,536 values, so ids made in the same second rarely collide (and collisions are retried). */
export function randomRunIdSuffix(): string {
  return randomBytes(2).toString('hex');
}

/**
 * `20261127-071502-cnn-3f9a`: UTC date and time (so ids sort the same on every machine), the model kind
 * and a random suffix.
 */
export function newRunId(createdAt: Date, modelKind: string, suffix: string): string {
  const iso = createdAt.toISOString(); // 2026-11-27T07:15:02.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  const kind = modelKind.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'run';
  return `${stamp}-${kind}-${suffix}`;
}
