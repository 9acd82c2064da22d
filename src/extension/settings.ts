// Typed reads of the classifierLab.* settings and the runs folder they point at.
// In an untrusted workspace VS Code hides workspace values of restricted settings (package.json
// capabilities.untrustedWorkspaces.restrictedConfigurations), so a workspace cannot redirect the runs folder.
import * as vscode from 'vscode';
import { readSettingValues, resolveRunsFolder, SETTINGS_SECTION, type ClassifierLabSettings } from './settingsValues';
import { readExecutorSettingValues, type ExecutorSettings } from './cluster/executorSettingValues';

export function readSettings(): ClassifierLabSettings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readSettingValues((key) => configuration.get<unknown>(key));
}

/** Where runs train: `classifierLab.executor` and `classifierLab.slurm.*` (machine-scoped or restricted, so a workspace cannot set what a job runs). */
export function readExecutorSettings(): ExecutorSettings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readExecutorSettingValues((key) => configuration.get<unknown>(key));
}

/** The first workspace folder on disk, where relative settings and the dataset search start. */
export function primaryWorkspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
}

/** Absolute runs folder, or undefined when it is relative and no folder is open. */
export function currentRunsDir(): string | undefined {
  return resolveRunsFolder(primaryWorkspaceFolder(), readSettings().runsFolder);
}

export function openSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `@ext:classifier-lab.classifier-lab`);
}
