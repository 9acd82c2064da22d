// Inspect Dataset (a folder from the Explorer, or the dataset picker from the palette) and Inspect
// Dataset with Run (a run's context menu, or a picked run: its dataset, with its model ranking likely
// mislabelled images). Both open the dataset tab.
import * as vscode from 'vscode';
import type { Lab } from '../lab';
import { pickDatasetFolder } from '../newRun/datasetPicker';
import { primaryWorkspaceFolder } from '../settings';
import { inspectionRun } from '../webviews/dataset/datasetPanels';
import type { Command } from './command';
import { resolveRun } from './runArguments';

/** The folder an Explorer command was invoked on; undefined from the palette. */
export function explorerFolder(uri: unknown, command: string): string | undefined {
  if (!(uri instanceof vscode.Uri)) return undefined;
  if (uri.scheme !== 'file' && uri.scheme !== 'vscode-remote') throw new Error(`${command} reads datasets from disk; ${uri.toString(true)} is not on disk.`);
  return uri.fsPath;
}

/** The dataset a dataset command acts on: the Explorer folder, else one the user picks; undefined when escaped. */
export async function datasetArgument(lab: Lab, uri: unknown, command: string, openLabel: string): Promise<string | undefined> {
  const folder = primaryWorkspaceFolder();
  return explorerFolder(uri, command) ?? pickDatasetFolder({ workspaceState: lab.context.workspaceState, workspaceFolders: folder ? [folder] : [] }, command, openLabel);
}

export const inspectDatasetCommand: Command = {
  id: 'classifierLab.inspectDataset',
  async run(lab, uri) {
    const root = await datasetArgument(lab, uri, 'Inspect Dataset', 'Inspect This Folder');
    if (root !== undefined) lab.datasets.open(root);
  },
};

export const inspectDatasetWithRunCommand: Command = {
  id: 'classifierLab.inspectDatasetWithRun',
  async run(lab, arg) {
    const entry = await resolveRun(lab, arg, {
      filter: (e) => e.record.summary.bestEpoch !== undefined, placeHolder: 'Run whose dataset to inspect, with its model ranking likely mislabelled images',
      none: 'No run has a saved model yet: train one first.',
    });
    if (!entry) return;
    const { record } = entry;
    const runDir = lab.folder.requireStore().runDir(record.id);
    lab.datasets.open(record.spec.data.path, inspectionRun(record, runDir, lab.folder.dir));
  },
};
