// Export Model: copies a run's best model (TensorFlow.js layers format) to a folder the user picks.
import * as vscode from 'vscode';
import { primaryWorkspaceFolder } from '../settings';
import type { Command } from './command';
import { copyModelFolder } from './copyModelFolder';
import { resolveRun } from './runArguments';
import { revealPath } from './runFiles';

export const exportModelCommand: Command = {
  id: 'classifierLab.exportModel',
  async run(lab, arg) {
    const entry = await resolveRun(lab, arg, { filter: (e) => e.record.summary.bestEpoch !== undefined, placeHolder: 'Run whose model to export', none: 'No run has a saved model yet.' });
    if (!entry) return;
    const { record } = entry;
    const folder = primaryWorkspaceFolder();
    const destination = await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export Here',
      title: `Export the model of "${record.name}" (TensorFlow.js layers format)`, defaultUri: folder ? vscode.Uri.file(folder) : undefined,
    });
    if (!destination?.[0]) return;
    const target = await copyModelFolder(lab.folder.requireStore().runDir(record.id), record.name, destination[0].fsPath);
    lab.log.info(`Exported the model of "${record.name}" to ${target}`);
    void vscode.window.showInformationMessage(`Exported the model of "${record.name}" to ${target}`, 'Reveal').then((picked) => {
      if (picked) void revealPath(target);
    });
  },
};
