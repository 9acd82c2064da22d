// Asks for a run (or several) with a quick pick, for commands run from the palette.
import * as vscode from 'vscode';
import { entryStatus, sortRuns } from './groupRuns';
import type { RunEntry } from './runEntry';
import { runDescription, runLabel, statusIcon } from './runPresentation';

interface RunItem extends vscode.QuickPickItem {
  entry: RunEntry;
}

function toItem(entry: RunEntry): RunItem {
  return {
    entry,
    label: runLabel(entry),
    description: runDescription(entry),
    detail: entry.kind === 'run' ? `${entryStatus(entry)} · ${entry.record.spec.data.path}` : `queued · ${entry.request.spec.data.path}`,
    iconPath: new vscode.ThemeIcon(statusIcon(entry).id),
  };
}

/** One run among `entries`; undefined when there is none or the user escaped (a message says which). */
export async function pickRun(entries: readonly RunEntry[], placeHolder: string, none: string): Promise<RunEntry | undefined> {
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(none);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(sortRuns(entries).map(toItem), { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.entry;
}

/** Several runs; an empty list when the user escaped. */
export async function pickRuns(entries: readonly RunEntry[], placeHolder: string, none: string): Promise<RunEntry[]> {
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(none);
    return [];
  }
  const picked = await vscode.window.showQuickPick(sortRuns(entries).map(toItem), { placeHolder, canPickMany: true, matchOnDescription: true });
  return picked?.map((item) => item.entry) ?? [];
}
