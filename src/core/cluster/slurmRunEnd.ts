// How a run ends when its Slurm job ended without the run recording its own end (time limit, node
// failure, out of memory, a failed setup, scancel before it started): the status and the reason to show.
import type { RunRecord } from '../runs/runRecord';
import type { FinishedStatus } from '../runs/runWriter';
import { slurmOutputFileName } from './slurmJobScript';
import type { SlurmJobState } from './slurmJobState';

export interface SlurmRunEnd {
  status: FinishedStatus;
  /** The reason, in words a user can act on; absent for a plain cancel. */
  error?: string;
}

export interface SlurmRunEndContext {
  /** Epoch of the run's last checkpoint; absent when no epoch finished. */
  checkpointEpoch?: number;
  /** The end of the job's output file, for the message of a job that failed before training began. */
  outputTail?: string;
}

/** True when the run wrote its own end (the trainer finished, failed or was cancelled on its own terms). */
export function runRecordedItsEnd(record: Pick<RunRecord, 'status'>): boolean {
  return record.status === 'completed' || record.status === 'failed' || record.status === 'cancelled';
}

function lastOutputLines(tail: string | undefined, count = 3): string | undefined {
  const lines = (tail ?? '').split('\n').map((line) => line.trim()).filter((line) => line.length > 0 && !line.startsWith('Classifier Lab: Slurm job'));
  return lines.length > 0 ? lines.slice(-count).join(' | ') : undefined;
}

/**
 * The end to record for `record`, whose job `job` has ended (undefined: Slurm no longer knows the job and
 * its output names no end), or undefined when the run already recorded its end. A run that has a
 * checkpoint ends `interrupted` (resumable) when Slurm stopped it; one that has none ends `failed`.
 */
export function slurmRunEnd(record: RunRecord, job: SlurmJobState | undefined, context: SlurmRunEndContext = {}): SlurmRunEnd | undefined {
  if (runRecordedItsEnd(record)) return undefined;
  const jobId = record.slurm?.jobId ?? job?.jobId ?? '?';
  const label = `Slurm job ${jobId}`;
  const output = slurmOutputFileName(jobId);
  const epoch = context.checkpointEpoch;
  const resumable = epoch !== undefined;
  const stopped = (what: string, retry: string): SlurmRunEnd => resumable
    ? { status: 'interrupted', error: `${what} after epoch ${epoch}; resume the run to continue from there.` }
    : { status: 'failed', error: `${what} before its first epoch finished; ${retry}` };
  const detail = lastOutputLines(context.outputTail);

  switch (job?.phase) {
    case 'cancelled':
      return { status: 'cancelled' };
    case 'timeout':
      return stopped(`${label} reached its time limit`, 'submit it again with a longer time limit (--time).');
    case 'nodeFail':
      return stopped(`${label}'s node${job.nodes ? ` ${job.nodes}` : ''} failed`, 'submit it again.');
    case 'preempted':
      return stopped(`${label} was preempted by Slurm`, 'submit it again.');
    case 'outOfMemory':
      return {
        status: 'failed',
        error: `${label} ran out of memory${resumable ? ` after epoch ${epoch}` : ''}; ${resumable ? 'resume' : 'submit'} it with more memory (--mem) or a smaller batch size.`,
      };
    case 'failed':
      return {
        status: 'failed',
        error: `${label} failed${job.exitCode ? ` (exit code ${job.exitCode})` : ''}${job.reason && job.reason !== 'NonZeroExitCode' ? ` (${job.reason})` : ''} `
          + `before the run recorded its end${detail ? `: ${detail}` : `; see ${output} in the run folder`}.`,
      };
    default: {
      // COMPLETED without an end, or a job Slurm no longer knows. A trainer stopped by Slurm's signal wrote 'interrupted'.
      if (record.status === 'interrupted' && resumable) {
        const why = job ? `${label} ended (${job.slurmState})` : `Slurm stopped job ${jobId} (it keeps no record of why)`;
        return { status: 'interrupted', error: `${why}; resume the run to continue after epoch ${epoch}.` };
      }
      const what = job
        ? `${label} ended (${job.slurmState}) without the run recording its end`
        : `${label} ended without the run recording its end, and Slurm keeps no record of why`;
      const why = `${what}${detail ? `: ${detail}` : `; see ${output} in the run folder`}.`;
      return resumable ? { status: 'interrupted', error: `${why} Resume the run to continue after epoch ${epoch}.` } : { status: 'failed', error: why };
    }
  }
}
