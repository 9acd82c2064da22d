// The one way a command finds the runs it acts on: the clicked row of the Experiments view with the
// rest of the selection (menus pass both), a run id (links, the status bar), or, from the palette, a quick pick.
import * as vscode from 'vscode';
import type { Lab } from '../lab';
import type { ExperimentNode } from '../views/experimentsTree';
import { entryStatus, sortRuns } from '../views/groupRuns';
import type { RecordedRunEntry, RunEntry } from '../views/runEntries';
import { runDescription, runLabel, statusIcon } from '../views/runPresentation';

export interface PickOptions<T extends RunEntry> {
  /** Which runs the picker offers. */
  filter(entry: RunEntry): entry is T;
  placeHolder: string;
  /** Said instead of picking when no run qualifies. */
  none: string;
}

function isNode(value: unknown): value is ExperimentNode {
  return typeof value === 'object' && value !== null && ((value as ExperimentNode).kind === 'run' || (value as ExperimentNode).kind === 'group');
}

export function isRecorded(entry: RunEntry | undefined): entry is RecordedRunEntry {
  return entry?.kind === 'run';
}

/** Runs with a folder that `test` accepts, as a picker filter. */
export function recorded(test: (entry: RecordedRunEntry) => boolean = () => true): (entry: RunEntry) => entry is RecordedRunEntry {
  return (entry): entry is RecordedRunEntry => isRecorded(entry) && test(entry);
}

/** The current entry for a row or a run id (a row may be stale by the time it is clicked). */
function entryOf(lab: Lab, arg: unknown): RunEntry | undefined {
  const entries = lab.tree.entries();
  if (typeof arg === 'string') return entries.find((e) => e.kind === 'run' && e.record.id === arg);
  if (!isNode(arg) || arg.kind !== 'run') return undefined;
  const wanted = arg.entry;
  return entries.find((e) => (e.kind === 'run' && wanted.kind === 'run' && e.record.id === wanted.record.id)
    || (e.kind === 'queued' && wanted.kind === 'queued' && e.training.ticket === wanted.training.ticket)) ?? wanted;
}

/** The runs a command was invoked on: the selection when there is one, else the clicked row or the run id. */
export function givenRuns(lab: Lab, arg: unknown, selection?: unknown): RunEntry[] {
  const given = Array.isArray(selection) && selection.length > 0 ? selection.filter(isNode) : isNode(arg) || typeof arg === 'string' ? [arg] : [];
  return given.map((node) => entryOf(lab, node)).filter((entry): entry is RunEntry => entry !== undefined);
}

function toItem(entry: RunEntry): vscode.QuickPickItem & { entry: RunEntry } {
  const spec = entry.kind === 'run' ? entry.record.spec : entry.training.request.spec;
  return {
    entry,
    label: runLabel(entry),
    description: runDescription(entry),
    detail: `${entryStatus(entry)} · ${spec.data.path}`,
    iconPath: new vscode.ThemeIcon(statusIcon(entry).id),
  };
}

/** One run, asked with a quick pick among those `options.filter` accepts; undefined when there is none (said) or the user escaped. */
export async function pickRun<T extends RunEntry>(lab: Lab, options: PickOptions<T>): Promise<T | undefined> {
  const entries = lab.tree.entries().filter(options.filter);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(options.none);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(sortRuns(entries).map(toItem), { placeHolder: options.placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.entry as T | undefined;
}

/** Several runs, asked with a multi-select quick pick; empty when there is none (said) or the user escaped. */
export async function pickRuns<T extends RunEntry>(lab: Lab, options: PickOptions<T>): Promise<T[]> {
  const entries = lab.tree.entries().filter(options.filter);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(options.none);
    return [];
  }
  const picked = await vscode.window.showQuickPick(sortRuns(entries).map(toItem), { placeHolder: options.placeHolder, canPickMany: true, matchOnDescription: true });
  return picked?.map((item) => item.entry as T) ?? [];
}

/**
 * The one run with a folder a command acts on: the row or run id it was given (whatever its state: the
 * command says what it cannot do), else one the user picks.
 */
export async function resolveRun(lab: Lab, arg: unknown, options: Omit<PickOptions<RecordedRunEntry>, 'filter'> & { filter?(entry: RecordedRunEntry): boolean }): Promise<RecordedRunEntry | undefined> {
  const [given] = givenRuns(lab, arg);
  if (given) return isRecorded(given) ? given : undefined;
  if (typeof arg === 'string') throw new Error(`There is no run ${arg} in the runs folder.`);
  return pickRun(lab, { ...options, filter: recorded(options.filter) });
}
