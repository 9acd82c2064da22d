// How a command is written and registered: an id and a body that gets the window's services. Every
// command runs under one guard: a thrown error becomes a notification that names the command as the
// palette does, with the details in the log.
import * as vscode from 'vscode';
import type { Lab } from '../lab';

export interface Command {
  readonly id: string;
  /** `args` are what VS Code passes: a tree row and the selection, an Explorer resource, a run id, or nothing. */
  run(lab: Lab, ...args: unknown[]): Promise<unknown> | unknown;
}

export function registerCommands(commands: readonly Command[], lab: Lab): vscode.Disposable[] {
  const contributed = (lab.context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands ?? [];
  const titleOf = (id: string) => contributed.find((command) => command.command === id)?.title ?? id;
  return commands.map((command) => vscode.commands.registerCommand(command.id, (...args: unknown[]) =>
    lab.errors.guard(`${titleOf(command.id)} failed`, () => command.run(lab, ...args))));
}

/** True in a trusted workspace; otherwise says that training is off in Restricted Mode (and how to trust) and returns false. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Classifier Lab does not train in Restricted Mode: the workspace could point it at anything. Trust this workspace to train; runs stay visible either way.', 'Manage Workspace Trust')
    .then((picked) => { if (picked) void vscode.commands.executeCommand('workbench.trust.manage'); });
  return false;
}

/** The runs folder, or undefined after telling the user to open a folder first. */
export function requireRunsFolder(lab: Lab): string | undefined {
  const dir = lab.folder.dir;
  if (dir === undefined) {
    lab.errors.show('Open a folder first: Classifier Lab keeps runs in the workspace (setting classifierLab.runsFolder).', undefined, [
      { title: 'Open Folder', run: () => vscode.commands.executeCommand('workbench.action.files.openFolder') }, 'openSettings',
    ]);
  }
  return dir;
}
