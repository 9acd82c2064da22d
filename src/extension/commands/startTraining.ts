// What the commands that train (New Training Run, Resume Run, Rerun) do once they know what to train:
// queue it in the runs folder, with a progress notification, and show the Experiments view.
import * as vscode from 'vscode';
import type { RunSpec } from '../../core/runSpec';
import type { Lab } from '../lab';
import { EXPERIMENTS_VIEW_ID } from '../views/experimentsTree';
import { requireRunsFolder } from './command';

export function startTraining(lab: Lab, what: { spec: RunSpec; resumeRunId?: string }, requestedAt?: number): void {
  const runsDir = requireRunsFolder(lab);
  if (runsDir === undefined) return;
  lab.training.start({ spec: what.spec, runsDir, ...(what.resumeRunId ? { resumeRunId: what.resumeRunId } : {}) }, { interactive: true, requestedAt });
  if (!lab.treeView.visible) void vscode.commands.executeCommand(`${EXPERIMENTS_VIEW_ID}.focus`);
}
