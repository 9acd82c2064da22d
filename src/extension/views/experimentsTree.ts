// The Experiments view: the runs folder's runs and this window's queue, newest first (optionally grouped
// by dataset or status), each with its best validation accuracy or live progress, a status icon, a
// tooltip with hyperparameters and timings, and menus by status.
import * as vscode from 'vscode';
import { entryId, groupRuns, type GroupBy, type RunGroup } from './groupRuns';
import type { RunsFolder } from '../runsFolder';
import type { TrainingController } from '../training/trainingController';
import { runEntries, type RunEntry } from './runEntries';
import { runContextValue, runDescription, runLabel, runTooltip, statusIcon } from './runPresentation';

export const EXPERIMENTS_VIEW_ID = 'classifierLab.experiments';
export const OPEN_DASHBOARD_COMMAND = 'classifierLab.openDashboard';

export type ExperimentNode =
  | { kind: 'group'; group: RunGroup }
  | { kind: 'run'; entry: RunEntry; parent?: RunGroup };

/** What a row shows, for tests and the API (the same values the tree item gets). */
export interface ExperimentRow {
  id: string;
  label: string;
  description: string;
  contextValue: string;
  icon: string;
  group?: string;
}

/** Live progress redraws the view at most this often. */
const PROGRESS_REDRAW_MS = 500;

export class ExperimentsTree implements vscode.TreeDataProvider<ExperimentNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ExperimentNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  private redraw?: NodeJS.Timeout;
  private trainingShape = '';

  constructor(private readonly folder: RunsFolder, private readonly training: TrainingController, private groupBy: GroupBy) {
    this.subscriptions = [folder.onDidChangeRuns(() => this.changeEmitter.fire(undefined)), training.onDidChange(() => this.trainingChanged())];
  }

  /** True once the runs folder has been read (before that the view stays empty rather than flash its welcome). */
  get isLoaded(): boolean {
    return this.folder.isLoaded;
  }

  /** The runs as the view shows them (before grouping). */
  entries(): RunEntry[] {
    return runEntries(this.folder.runs, this.training.runs(), (runId) => this.folder.jobState(runId));
  }

  get grouping(): GroupBy {
    return this.groupBy;
  }

  setGroupBy(groupBy: GroupBy): void {
    this.groupBy = groupBy;
    this.changeEmitter.fire(undefined);
  }

  getChildren(element?: ExperimentNode): ExperimentNode[] {
    if (element?.kind === 'run') return [];
    if (element?.kind === 'group') return element.group.entries.map((entry) => ({ kind: 'run', entry, parent: element.group }));
    if (!this.isLoaded) return [];
    const groups = groupRuns(this.entries(), this.groupBy);
    if (this.groupBy === 'none') return (groups[0]?.entries ?? []).map((entry) => ({ kind: 'run', entry }));
    return groups.map((group) => ({ kind: 'group', group }));
  }

  getParent(element: ExperimentNode): ExperimentNode | undefined {
    return element.kind === 'run' && element.parent ? { kind: 'group', group: element.parent } : undefined;
  }

  getTreeItem(element: ExperimentNode): vscode.TreeItem {
    if (element.kind === 'group') {
      const item = new vscode.TreeItem(element.group.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = element.group.key;
      item.description = `${element.group.entries.length} run${element.group.entries.length === 1 ? '' : 's'}`;
      if (element.group.description) item.tooltip = element.group.description;
      item.contextValue = 'group';
      return item;
    }
    const { entry } = element;
    const item = new vscode.TreeItem(runLabel(entry), vscode.TreeItemCollapsibleState.None);
    item.id = entryId(entry);
    item.description = runDescription(entry);
    const icon = statusIcon(entry);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    const tooltip = new vscode.MarkdownString(runTooltip(entry));
    tooltip.supportThemeIcons = false;
    item.tooltip = tooltip;
    item.contextValue = runContextValue(entry);
    item.accessibilityInformation = { label: `${runLabel(entry)}, ${runDescription(entry)}` };
    if (entry.kind === 'run') {
      item.command = { command: OPEN_DASHBOARD_COMMAND, title: 'Open Dashboard', arguments: [entry.record.id] };
    }
    return item;
  }

  /** The rows as the view shows them now, top to bottom. */
  rows(): ExperimentRow[] {
    const rows: ExperimentRow[] = [];
    for (const node of this.getChildren()) {
      const children = node.kind === 'group' ? this.getChildren(node) : [node];
      for (const child of children) {
        if (child.kind !== 'run') continue;
        const item = this.getTreeItem(child);
        rows.push({
          id: String(item.id), label: runLabel(child.entry), description: String(item.description ?? ''),
          contextValue: item.contextValue ?? '', icon: statusIcon(child.entry).id,
          ...(node.kind === 'group' ? { group: node.group.label } : {}),
        });
      }
    }
    return rows;
  }

  dispose(): void {
    clearTimeout(this.redraw);
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
    this.changeEmitter.dispose();
  }

  private trainingChanged(): void {
    // A run queued, started, created or ended: re-read the folder. Progress alone only redraws.
    const shape = JSON.stringify(this.training.runs().map((run) => [run.ticket, run.phase, run.runId]));
    if (shape !== this.trainingShape) {
      this.trainingShape = shape;
      this.folder.scheduleRefresh();
    }
    this.redraw ??= setTimeout(() => {
      this.redraw = undefined;
      this.changeEmitter.fire(undefined);
    }, PROGRESS_REDRAW_MS);
  }
}
