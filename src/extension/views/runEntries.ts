// What one row of the Experiments view (and of the run pickers) stands for: a run in the runs folder,
// with this window's training of it, or a run still waiting in this window's queue (no folder yet).
import type { RunRecord } from '../../core/runs/runRecord';
import type { TrainingRun } from '../training/trainingRun';

export interface RecordedRunEntry {
  kind: 'run';
  record: RunRecord;
  /** This window trains it now, or waits to resume it. */
  training?: TrainingRun;
}

export interface QueuedRunEntry {
  kind: 'queued';
  training: TrainingRun;
}

export type RunEntry = RecordedRunEntry | QueuedRunEntry;

/** The runs on disk, each with this window's run of it, then this window's runs that have no folder (yet). */
export function runEntries(records: readonly RunRecord[], training: readonly TrainingRun[]): RunEntry[] {
  const known = new Set(records.map((record) => record.id));
  return [
    ...records.map((record): RunEntry => {
      const run = training.find((t) => t.runId === record.id);
      return { kind: 'run', record, ...(run ? { training: run } : {}) };
    }),
    ...training.filter((run) => run.runId === undefined || !known.has(run.runId)).map((run): RunEntry => ({ kind: 'queued', training: run })),
  ];
}
