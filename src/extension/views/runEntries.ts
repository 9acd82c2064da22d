// What one row of the Experiments view (and of the run pickers) stands for: a run in the runs folder,
// with this window's training of it and its Slurm job's state, or a run still waiting in this window's
// queue (no folder yet).
import type { SlurmJobState } from '../../core/cluster/slurmJobState';
import type { RunRecord } from '../../core/runs/runRecord';
import type { TrainingRun } from '../training/trainingRun';

export interface RecordedRunEntry {
  kind: 'run';
  record: RunRecord;
  /** This window trains it now, or waits to resume it. */
  training?: TrainingRun;
  /** The state Slurm last gave for the job that trains it, while the run's end is not recorded. */
  job?: SlurmJobState;
}

export interface QueuedRunEntry {
  kind: 'queued';
  training: TrainingRun;
}

export type RunEntry = RecordedRunEntry | QueuedRunEntry;

/** The runs on disk, each with this window's run of it, then this window's runs that have no folder (yet). */
export function runEntries(
  records: readonly RunRecord[], training: readonly TrainingRun[], jobState: (runId: string) => SlurmJobState | undefined = () => undefined,
): RunEntry[] {
  const known = new Set(records.map((record) => record.id));
  return [
    ...records.map((record): RunEntry => {
      const run = training.find((t) => t.runId === record.id);
      const job = jobState(record.id);
      return { kind: 'run', record, ...(run ? { training: run } : {}), ...(job ? { job } : {}) };
    }),
    ...training.filter((run) => run.runId === undefined || !known.has(run.runId)).map((run): RunEntry => ({ kind: 'queued', training: run })),
  ];
}
