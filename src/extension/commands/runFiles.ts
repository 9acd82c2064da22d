// Reveal Run Folder and Show Log: a run's files in the operating system or the editor.
import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import { runPaths } from '../../core/runs/runLayout';
import type { Command } from './command';
import { givenRuns, isRecorded, resolveRun } from './runArguments';

/** Shows a file or folder in the system's file manager (locally), in the Explorer (remote, inside the workspace), or names it. */
export async function revealPath(path: string): Promise<void> {
  const uri = vscode.Uri.file(path);
  const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((folder) => {
    const rel = relative(folder.uri.fsPath, path);
    return !rel.startsWith('..') && !isAbsolute(rel);
  });
  if (vscode.env.remoteName === undefined) await vscode.commands.executeCommand('revealFileInOS', uri);
  else if (inWorkspace) await vscode.commands.executeCommand('revealInExplorer', uri);
  else void vscode.window.showInformationMessage(path);
}

export const revealRunCommand: Command = {
  id: 'classifierLab.revealRun',
  async run(lab, arg) {
    const entry = await resolveRun(lab, arg, { placeHolder: 'Run whose folder to reveal', none: 'There are no runs yet.' });
    if (entry) await revealPath(lab.folder.requireStore().runDir(entry.record.id));
  },
};

export const showLogCommand: Command = {
  id: 'classifierLab.showLog',
  async run(lab, arg) {
    const [entry] = arg === undefined ? [] : givenRuns(lab, arg);
    if (isRecorded(entry)) {
      const file = runPaths(lab.folder.requireStore().runDir(entry.record.id)).log;
      if (existsSync(file)) {
        await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
        return;
      }
    }
    lab.log.show(true);
  },
};
