// Tells a live run from one whose trainer died: a record saying 'running' is only believed while its process lives.
import { hostname as osHostname } from 'node:os';
import type { RunRecord } from './runRecord';

/** A trainer rewrites its heartbeat every 30 s; four missed beats on another machine mean it is gone. */
export const DEFAULT_STALE_AFTER_MS = 2 * 60_000;
/**
 * On this machine the pid answers; a heartbeat this old despite a live pid means the pid was reused
 * (after a reboot, say). Generous because one slow synchronous batch can delay a heartbeat by minutes.
 */
export const DEFAULT_PID_REUSE_AFTER_MS = 30 * 60_000;

export interface ReconcileOptions {
  /** This machine's name, compared with the record's `process.hostname`. */
  hostname?: string;
  staleAfterMs?: number;
  pidReuseAfterMs?: number;
}

/** Whether a process with this pid exists on this machine (signal 0 probes without signalling). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The status a reader should show. A run recorded as 'running' (or 'queued' with an owning process)
 * reads as 'interrupted' (resumable) when its process is gone from this machine, or, for a run owned
 * by another machine or by no recorded process, when its heartbeat is older than `staleAfterMs`.
 * Pure apart from `isAlive`; returns the same object when nothing changes.
 */
export function reconcileStatus(
  record: RunRecord,
  now: Date | number,
  isAlive: (pid: number) => boolean = isProcessAlive,
  options: ReconcileOptions = {},
): RunRecord {
  const owned = record.status === 'running' || (record.status === 'queued' && record.process !== undefined);
  if (!owned) return record;
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const heartbeatMs = Date.parse(record.updatedAt);
  const ageMs = Number.isFinite(heartbeatMs) ? nowMs - heartbeatMs : Number.POSITIVE_INFINITY;
  const thisHost = options.hostname ?? osHostname();
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  let gone: boolean;
  if (record.process && record.process.hostname === thisHost) {
    gone = !isAlive(record.process.pid) || ageMs > (options.pidReuseAfterMs ?? DEFAULT_PID_REUSE_AFTER_MS);
  } else {
    gone = ageMs > staleAfterMs;
  }
  return gone ? { ...record, status: 'interrupted' } : record;
}
