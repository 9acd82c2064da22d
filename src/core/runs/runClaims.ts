// Which writers of this process hold a run: a run's record names the process and the claim token of
// its one writer, so a second writer is refused even from the same process, and a claim whose writer
// has closed (or whose process died) is stale.
import { randomBytes } from 'node:crypto';
import type { RunProcessInfo } from './runRecord';

const liveClaims = new Set<string>();

/** A new claim token, live until `endClaim`. */
export function newClaim(): string {
  const token = randomBytes(8).toString('hex');
  liveClaims.add(token);
  return token;
}

export function endClaim(token: string): void {
  liveClaims.delete(token);
}

/**
 * Whether the owner a record names is still there: for this process, its claim must be one of our live
 * writers (a record without a claim predates claims and counts as live); for another process on this
 * machine, the process must exist (`isAlive`).
 */
export function isOwnerAlive(owner: RunProcessInfo, isAlive: (pid: number) => boolean): boolean {
  if (!isAlive(owner.pid)) return false;
  if (owner.pid !== process.pid || owner.claim === undefined) return true;
  return liveClaims.has(owner.claim);
}
