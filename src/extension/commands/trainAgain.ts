// Resume Run (from the last checkpoint) and Rerun with Same Settings (a new run with the same spec).
import type { RunRecord } from '../../core/runs/runRecord';
import { requireTrust, type Command } from './command';
import { resolveRun } from './runArguments';
import { startTraining } from './startTraining';

function canResume(record: RunRecord): boolean {
  const last = record.summary.lastEpoch ?? 0;
  return (record.status === 'interrupted' || record.status === 'cancelled' || record.status === 'failed') && last >= 1 && last < record.summary.epochs;
}

export const resumeRunCommand: Command = {
  id: 'classifierLab.resumeRun',
  async run(lab, arg) {
    if (!requireTrust()) return;
    const entry = await resolveRun(lab, arg, {
      filter: (e) => canResume(e.record), placeHolder: 'Run to resume from its last checkpoint',
      none: 'No run can be resumed: only interrupted, cancelled or failed runs with a finished epoch can.',
    });
    if (!entry) return;
    const { record } = entry;
    if (!canResume(record)) throw new Error(`Run "${record.name}" cannot be resumed: it is ${record.status} after ${record.summary.lastEpoch ?? 0} of ${record.summary.epochs} epochs.`);
    if (!(await lab.folder.requireStore().readCheckpointState(record.id))) throw new Error(`Run "${record.name}" has no checkpoint to resume from.`);
    startTraining(lab, { spec: record.spec, resumeRunId: record.id });
  },
};

export const rerunCommand: Command = {
  id: 'classifierLab.rerun',
  async run(lab, arg) {
    if (!requireTrust()) return;
    const entry = await resolveRun(lab, arg, { placeHolder: 'Run whose settings to train again', none: 'There are no runs yet.' });
    if (entry) startTraining(lab, { spec: entry.record.spec });
  },
};
