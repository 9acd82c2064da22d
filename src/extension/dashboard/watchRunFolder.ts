// Tells a dashboard which of its runs' files changed, from the editor's file watcher.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { classifyRunPath, type RunFileChange } from '../../core/runs/runLayout';

/**
 * Calls `onChange` for changes inside the given runs' folders (temporary files and locks are ignored).
 * Watchers may miss events for folders outside the workspace, so dashboards also poll live runs.
 */
export function watchRunFolders(runsDir: string, runIds: readonly string[], onChange: (change: RunFileChange) => void): vscode.Disposable {
  const wanted = new Set(runIds);
  const glob = runIds.length === 1 ? `${runIds[0]}/**` : '**';
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runsDir), glob));
  const handle = (uri: vscode.Uri): void => {
    const change = classifyRunPath(relative(runsDir, uri.fsPath));
    if (change && wanted.has(change.runId)) onChange(change);
  };
  const subscriptions = [watcher.onDidCreate(handle), watcher.onDidChange(handle), watcher.onDidDelete(handle)];
  return new vscode.Disposable(() => {
    for (const subscription of subscriptions.reverse()) subscription.dispose();
    watcher.dispose();
  });
}
