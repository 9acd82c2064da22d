// The commands that train: New Training Run (the guided picker, which may find a learning rate first),
// Resume Run (from the last checkpoint) and Rerun with Same Settings. Each queues the run in this window,
// with a progress notification.
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { isPath, isRecord } from '../../core/guards';
import type { RunRecord } from '../../core/runs/runRecord';
import type { AugmentSpec, RunSpec } from '../../core/runSpec';
import type { Lab } from '../lab';
import type { QueuedRun } from '../training/runQueue';
import { EXPERIMENTS_VIEW_ID } from '../views/experimentsTree';
import { parseAugmentSpec } from '../webviews/augmentPreview/augmentPreviewMessages';
import { requireRunsFolder, requireTrust, type Command } from './command';
import { runWizardThenStart } from './newRunWizardRun';
import { resolveRun } from './runArguments';

/** Queues a run started by the user (with a progress notification) and shows the Experiments view. */
export function startTraining(lab: Lab, what: { spec: RunSpec; resumeRunId?: string; name?: string }, requestedAt?: number): QueuedRun | undefined {
  const runsDir = requireRunsFolder(lab);
  if (runsDir === undefined) return undefined;
  const queued = lab.training.start({
    spec: what.spec, runsDir, ...(what.resumeRunId ? { resumeRunId: what.resumeRunId } : {}), ...(what.name ? { name: what.name } : {}),
  }, { interactive: true, requestedAt });
  if (!lab.treeView.visible) void vscode.commands.executeCommand(`${EXPERIMENTS_VIEW_ID}.focus`);
  return queued;
}

/** A dataset and augmentation strengths to start New Training Run from (an augmentation preview passes them). */
function presetOf(arg: unknown): { datasetPath: string; augment: AugmentSpec } | undefined {
  if (!isRecord(arg) || !isPath(arg.datasetPath) || !isAbsolute(arg.datasetPath)) return undefined;
  const augment = parseAugmentSpec(arg.augment);
  return augment && { datasetPath: arg.datasetPath, augment };
}

export const newRunCommand: Command = {
  id: 'classifierLab.newRun',
  async run(lab, arg) {
    if (!requireTrust()) return;
    await runWizardThenStart(lab, 'train', undefined, presetOf(arg));
  },
};

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
