// How a run trained by a Slurm job reads in the Experiments view: why it waits ("queued on Slurm:
// Resources"), the job's way of ending in a word ("timed out"), and the tooltip's job rows.
import type { SlurmJobState } from '../../core/cluster/slurmJobState';
import type { RunRecord } from '../../core/runs/runRecord';

/** Slurm's final states that say more than the run's status, in the words a row shows. */
const END_WORDS: Readonly<Record<string, string>> = {
  TIMEOUT: 'timed out', NODE_FAIL: 'node failed', OUT_OF_MEMORY: 'out of memory', PREEMPTED: 'preempted',
};

/** Where a submitted run that has not started training stands: `queued on Slurm: Resources`, `starting on node7`. */
export function slurmWaitingText(record: RunRecord, job: SlurmJobState | undefined): string | undefined {
  if (!record.slurm || record.slurm.state !== undefined) return undefined;
  if (!job || job.jobId !== record.slurm.jobId) return `submitted to Slurm (job ${record.slurm.jobId})`;
  // The job runs, but the trainer has not taken the run over yet.
  if (job.phase === 'running') return `starting${job.nodes ? ` on ${job.nodes}` : ''}`;
  return jobStateWords(job);
}

/** The job's end in a word when it says more than the status (`timed out`), once the run is settled. */
export function slurmEndWord(record: RunRecord): string | undefined {
  const state = record.slurm?.state;
  return state === undefined ? undefined : END_WORDS[state];
}

/** A live job's state in a few words: `queued on Slurm: Resources`, `running on node7`. */
export function jobStateWords(job: SlurmJobState): string {
  switch (job.phase) {
    case 'pending': return `queued on Slurm${job.reason ? `: ${job.reason}` : ''}`;
    case 'running': return `running${job.nodes ? ` on ${job.nodes}` : ''}`;
    case 'suspended': return 'suspended by Slurm';
    case 'ending': return 'ending';
    default: return job.slurmState;
  }
}

/** The words for run `record`'s current job while it lives, from its latest state (undefined when that state is of another job). */
export function liveJobWords(record: RunRecord, job: SlurmJobState | undefined): string | undefined {
  return record.slurm && record.slurm.state === undefined && job && job.jobId === record.slurm.jobId ? jobStateWords(job) : undefined;
}

/** Tooltip rows: the job and how it stands (or how it ended), and the jobs before it. */
export function slurmRows(record: RunRecord, job: SlurmJobState | undefined): [string, string][] {
  const { slurm } = record;
  if (!slurm) return [];
  const live = liveJobWords(record, job);
  const rows: [string, string][] = [['Slurm job', `${slurm.jobId} · ${slurm.state ?? live ?? 'submitted'}`]];
  if (slurm.previousJobIds && slurm.previousJobIds.length > 0) rows.push(['Earlier Slurm jobs', slurm.previousJobIds.join(', ')]);
  return rows;
}
