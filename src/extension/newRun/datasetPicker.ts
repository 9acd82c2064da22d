// The dataset picker New Training Run starts with, also used on its own by the commands that act on a
// dataset (Inspect Dataset, Preview Augmentation): recent datasets at once, then the workspace's dataset
// folders with their detected format and class counts, and Browse….
import { basename, isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import { describeDataset, type DatasetDescription } from '../../core/data/describeDataset';
import { errorMessage } from '../../core/errorMessage';
import { classCountsText, datasetSummaryText } from './datasetSummaryText';
import { findDatasetFolders } from './findDatasetFolders';
import { MultiStepInput } from './multiStepInput';

export const RECENT_DATASETS_KEY = 'classifierLab.recentDatasets';
export const MAX_RECENT_DATASETS = 5;

export interface DatasetPickerContext {
  workspaceState: vscode.Memento;
  /** Absolute paths of the open workspace folders, searched for datasets. */
  workspaceFolders: readonly string[];
}

export interface DatasetItem extends vscode.QuickPickItem {
  action: 'dataset' | 'browse' | 'savedSpec';
  path?: string;
}

function displayPath(path: string, roots: readonly string[]): string {
  for (const root of roots) {
    const rel = relative(root, path);
    if (rel === '') return basename(path);
    if (!rel.startsWith('..') && !isAbsolute(rel)) return rel;
  }
  return path;
}

export function recentDatasets(state: vscode.Memento): string[] {
  const value = state.get<unknown>(RECENT_DATASETS_KEY);
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string' && isAbsolute(p)).slice(0, MAX_RECENT_DATASETS) : [];
}

/** Puts `path` first among the recent datasets. */
export async function rememberDataset(state: vscode.Memento, path: string): Promise<void> {
  await state.update(RECENT_DATASETS_KEY, [path, ...recentDatasets(state).filter((p) => p !== path)].slice(0, MAX_RECENT_DATASETS));
}

/**
 * The picker's items: recent datasets now (`items`), and with the workspace's dataset folders and each
 * one's description once they are read (`itemsLater`). `savedSpec` adds "Start from a saved run spec…".
 */
export function datasetPickItems(context: DatasetPickerContext, describe: (path: string) => Promise<DatasetDescription>, options: { savedSpec: boolean }): { items: DatasetItem[]; itemsLater: Promise<DatasetItem[]> } {
  const recent = recentDatasets(context.workspaceState);
  const found = findDatasetFolders(context.workspaceFolders).then((paths) => paths.filter((p) => !recent.includes(p)));
  const actions: DatasetItem[] = [
    { kind: vscode.QuickPickItemKind.Separator, label: '', action: 'browse' },
    { action: 'browse', label: '$(folder-opened) Browse for a dataset folder…', detail: 'Class sub-folders of PNG/JPEG images, CIFAR binary files or MNIST-style IDX files' },
    ...(options.savedSpec ? [{ action: 'savedSpec', label: '$(json) Start from a saved run spec…', detail: 'A run spec JSON file, or a run.json from another run' } as const] : []),
  ];
  const datasetItem = (path: string, detail?: string): DatasetItem => ({
    action: 'dataset', path, label: `$(database) ${basename(path)}`, description: displayPath(path, context.workspaceFolders), detail,
  });
  const section = (label: string, paths: string[], details: Map<string, string>): DatasetItem[] => paths.length === 0 ? [] : [
    { kind: vscode.QuickPickItemKind.Separator, label, action: 'dataset' },
    ...paths.map((path) => datasetItem(path, details.get(path))),
  ];
  const itemsLater = (async () => {
    const paths = [...recent, ...(await found)];
    const details = new Map<string, string>();
    await Promise.all(paths.map(async (path) => {
      try {
        const description = await describe(path);
        details.set(path, `${datasetSummaryText(description)} — ${classCountsText(description)}`);
      } catch (error) {
        details.set(path, `$(warning) ${errorMessage(error)}`);
      }
    }));
    return [...section('recent', recent, details), ...section('in this workspace', await found, details), ...actions];
  })();
  return { items: [...section('recent', recent, new Map()), ...actions], itemsLater };
}

/** A folder from the open dialog, starting in the first workspace folder; undefined when dismissed. */
export async function browseForDataset(context: DatasetPickerContext, openLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel,
    title: 'Dataset folder', defaultUri: context.workspaceFolders[0] ? vscode.Uri.file(context.workspaceFolders[0]) : undefined,
  });
  return picked?.[0]?.fsPath;
}

/** Asks for a dataset folder with the same picker (without saved specs); undefined when the user escaped. */
export async function pickDatasetFolder(context: DatasetPickerContext, title: string, openLabel: string): Promise<string | undefined> {
  let path: string | undefined;
  const finished = await MultiStepInput.run(async function pick(input) {
    const { items, itemsLater } = datasetPickItems(context, describeDataset, { savedSpec: false });
    const chosen = await input.pick<DatasetItem>({ title, placeholder: 'Dataset (the format and class counts are detected)', items, itemsLater });
    if (chosen.action === 'dataset' && chosen.path) {
      path = chosen.path;
      return;
    }
    input.hide();
    path = await browseForDataset(context, openLabel);
    return path === undefined ? pick : undefined;
  });
  return finished ? path : undefined;
}
