// The one way commands run the New Training Run wizard: with this window's finished runs (to fine-tune
// from), the built-in and saved presets, then train with the answers or find their learning rate first.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_PRESETS_DIR, listPresets, savePreset } from '../../core/presets/presetStore';
import { builtInPresets } from '../../core/presets/runPreset';
import type { RunRecord } from '../../core/runs/runRecord';
import type { AugmentSpec } from '../../core/runSpec';
import type { Lab } from '../lab';
import { rememberDataset } from '../newRun/datasetPicker';
import { rememberChoices, runNewRunWizard, type WizardPresets, type WizardPurpose } from '../newRun/newRunWizard';
import { primaryWorkspaceFolder, readSettings } from '../settings';
import { EXPERIMENTS_VIEW_ID } from '../views/experimentsTree';
import { requireRunsFolder } from './command';

/** Saved presets live beside the runs, where `classifier-lab train --preset NAME` looks for them. */
export function workspacePresets(folder: string): WizardPresets {
  const dir = join(folder, DEFAULT_PRESETS_DIR);
  return {
    list: async () => (await listPresets(dir)).presets,
    save: (name, description, spec, expected) => savePreset({ name, description, spec, ...(expected ? { expected } : {}) }, dir),
    builtInNames: builtInPresets().map((preset) => preset.name),
  };
}

/** Completed runs of the runs folder, with their folders: what a run can start from. */
export function finishedRuns(lab: Lab): { record: RunRecord; runDir: string }[] {
  const store = lab.folder.store;
  if (!store) return [];
  return lab.folder.runs.filter((record) => record.status === 'completed').map((record) => ({ record, runDir: store.runDir(record.id) }));
}

/**
 * Asks the wizard's questions (for `purpose`, fine-tuning `initFrom` when given, starting from `preset`'s
 * dataset and augmentation when given), then starts the run or the learning-rate finder. Remembers the
 * answers either way.
 */
export async function runWizardThenStart(
  lab: Lab, purpose: WizardPurpose, initFrom?: { record: RunRecord; runDir: string }, preset?: { datasetPath: string; augment: AugmentSpec },
): Promise<void> {
  const runsDir = requireRunsFolder(lab);
  if (runsDir === undefined) return;
  const folder = primaryWorkspaceFolder();
  // The preset's dataset is listed first (recent), so the picker starts on it.
  if (preset) await rememberDataset(lab.context.workspaceState, preset.datasetPath);
  const result = await runNewRunWizard({
    workspaceState: lab.context.workspaceState,
    defaults: readSettings().defaults,
    workspaceFolders: folder ? [folder] : [],
    finishedRuns: () => finishedRuns(lab),
    ...(folder ? { presets: workspacePresets(folder) } : {}),
    ...(initFrom ? { initFrom } : {}),
    previewAugmentation: (spec) => lab.previews.openForWizard(spec),
    ...(preset ? { preset } : {}),
  }, purpose);
  if (!result) return;
  // The dataset the user picked is a folder they chose: its runs' dashboards may show its images.
  await lab.datasetFolders.choose(result.spec.data.path);
  if (result.then === 'findLearningRate') {
    lab.lrFinder.find(result.spec);
  } else {
    lab.training.start({ spec: result.spec, runsDir }, { interactive: true, requestedAt: Date.now() });
    if (!lab.treeView.visible) void vscode.commands.executeCommand(`${EXPERIMENTS_VIEW_ID}.focus`);
  }
  await rememberChoices(lab.context.workspaceState, result.choices);
}
