// The one way a command finds the dataset it acts on: the folder it was invoked on in the Explorer, or,
// from the palette, one the user picks with New Training Run's dataset picker.
import * as vscode from 'vscode';
import type { Lab } from '../lab';
import { pickDatasetFolder } from '../newRun/datasetPicker';
import { primaryWorkspaceFolder } from '../settings';

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
