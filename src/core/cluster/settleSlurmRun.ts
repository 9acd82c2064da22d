// Records a run's end once its Slurm job has ended: the run's own end when it wrote one, else the end
// Slurm gives (time limit, node failure, ...), read from squeue/sacct or from the job's output file.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parseRunRecord } from '../runs/parseRunRecord';
import type { RunRecord, RunSlurmJob } from '../runs/runRecord';
import type { RunStore } from '../runs/runStore';
import { slurmOutputFileName } from './slurmJobScript';
import { isJobEnded, stateFromJobOutput, type SlurmJobState } from './slurmJobState';
import { slurmRunEnd } from './slurmRunEnd';

/** Enough of the job's output to find slurmstepd's closing message and the last error lines. */
const OUTPUT_TAIL_BYTES = 16 * 1024;

/** The last bytes of job `jobId`'s output file in the run folder, or '' when there is none. */
export async function readJobOutputTail(runDir: string, jobId: string): Promise<string> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(join(runDir, slurmOutputFileName(jobId)), 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, OUTPUT_TAIL_BYTES);
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, size - length);
    return bytes.toString('utf8');
  } catch {
    return '';
  } finally {
    await handle?.close();
  }
}

/** True when the run was submitted to Slurm and its job's end is not yet recorded. */
export function isSlurmRunUnsettled(record: RunRecord): record is RunRecord & { slurm: RunSlurmJob } {
  return record.slurm !== undefined && record.slurm.state === undefined;
}

/**
 * Settles run `runId` given its job's latest state (undefined: neither squeue nor sacct knows the job).
 * Does nothing while the job lives, or when `job` is not the job run.json names now. Writes run.json only if the record still belongs to the same job,
 * so a concurrent resubmission is never overwritten. Returns the record as it now stands.
 */
export async function settleSlurmRun(store: RunStore, runId: string, job: SlurmJobState | undefined): Promise<RunRecord> {
  const record = await store.read(runId);
  if (!isSlurmRunUnsettled(record)) return record;
  const jobId = record.slurm.jobId;
  // A state of another job (the run was resubmitted since it was asked for) says nothing about this one.
  if (job && (job.jobId !== jobId || !isJobEnded(job.phase))) return record;
  const runDir = store.runDir(runId);
  const outputTail = await readJobOutputTail(runDir, jobId);
  const state = job ?? stateFromJobOutput(jobId, outputTail);
  const checkpoint = await store.readCheckpointState(runId).catch(() => undefined);
  const endedAt = new Date().toISOString();
  return store.editRecord(runId, (raw) => {
    const current = parseRunRecord(raw, runId);
    if (!current.ok || !isSlurmRunUnsettled(current.record) || current.record.slurm.jobId !== jobId) return;
    (raw.slurm as Record<string, unknown>).state = state?.slurmState ?? 'UNKNOWN';
    // Decided on the record as it is now: a run that recorded its own end keeps it.
    const end = slurmRunEnd(current.record, state, { checkpointEpoch: checkpoint?.epoch, outputTail });
    if (!end) return;
    raw.status = end.status;
    if (end.error !== undefined) raw.error = end.error;
    else delete raw.error;
    if (typeof raw.endedAt !== 'string') raw.endedAt = endedAt;
  });
}
