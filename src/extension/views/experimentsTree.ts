// The Experiments view: the runs folder's runs and this window's queue, newest first (optionally grouped
// by dataset or status), each with its best validation accuracy or live progress, a status icon, a
// tooltip with hyperparameters and timings, and menus by status; each sweep as a row of its own with its
// progress, holding its trials' runs, best first.
import * as vscode from 'vscode';
import { entryId, groupRuns, type GroupBy, type RunGroup } from './groupRuns';
import type { RunsFolder } from '../runsFolder';
import type { SweepRunner } from '../sweeps/sweepRunner';
import type { SweepsFolder } from '../sweeps/sweepsFolder';
import type { TrainingController } from '../training/trainingController';
import { LiveRows } from './liveRows';
import { runEntries, type RunEntry } from './runEntries';
import { runContextValue, runDescription, runLabel, runTooltip, statusIcon, type StatusIcon } from './runPresentation';
import { groupBySweep, topLevelItems, type SweepGroup } from './sweepGroups';
import { sweepContextValue, sweepDescription, sweepIcon, sweepTooltip } from './sweepPresentation';

export const EXPERIMENTS_VIEW_ID = 'classifierLab.experiments';
export const OPEN_DASHBOARD_COMMAND = 'classifierLab.openDashboard';
export const OPEN_SWEEP_COMMAND = 'classifierLab.openSweep';

export type ExperimentNode =
  | { kind: 'group'; group: RunGroup }
  | { kind: 'sweep'; group: SweepGroup }
  | { kind: 'run'; entry: RunEntry; parent?: RunGroup; sweep?: SweepGroup };

/** The sweeps shown with the runs: the sweeps folder's listing and the sweeps this window runs. */
export interface ExperimentSweeps {
  folder: SweepsFolder;
  runner: SweepRunner;
}

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

/** The parts of a run's row live progress changes. */
function rowLook(entry: RunEntry): string {
  return JSON.stringify([runDescription(entry), statusIcon(entry), runTooltip(entry), runContextValue(entry)]);
}

export class ExperimentsTree implements vscode.TreeDataProvider<ExperimentNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ExperimentNode | ExperimentNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  private redraw?: NodeJS.Timeout;
  private trainingShape = '';
  /** The run rows handed to VS Code, redrawn in place by live progress (a row's menu keeps its run meanwhile). */
  private readonly liveRows = new LiveRows<ExperimentNode & { kind: 'run' }>();
  /** A run queued, started, created or ended since the last redraw. */
  private shapeChanged = false;

  constructor(private readonly folder: RunsFolder, private readonly training: TrainingController, private groupBy: GroupBy, private readonly sweeps?: ExperimentSweeps) {
    this.subscriptions = [folder.onDidChangeRuns(() => this.refreshAll()), training.onDidChange(() => this.trainingChanged())];
    if (sweeps) {
      this.subscriptions.push(
        sweeps.folder.onDidChangeSweeps(() => this.refreshAll()),
        sweeps.runner.onDidChange(() => this.refreshAll()),
      );
    }
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
    this.refreshAll();
  }

  getChildren(element?: ExperimentNode): ExperimentNode[] {
    if (element?.kind === 'run') return [];
    if (element?.kind === 'group') return element.group.entries.map((entry) => this.runNode(entry, { parent: element.group }));
    if (element?.kind === 'sweep') return element.group.entries.map((entry) => this.runNode(entry, { sweep: element.group }));
    if (!this.isLoaded) return [];
    const { groups: sweepGroups, others } = groupBySweep(this.entries(), this.sweeps?.folder.sweeps ?? [], (ticket) => this.sweeps?.runner.trialOfTicket(ticket));
    if (this.groupBy === 'none') {
      return topLevelItems(sweepGroups, others).map((item): ExperimentNode => (item.kind === 'sweep' ? { kind: 'sweep', group: item.group } : this.runNode(item.entry, {})));
    }
    return [
      ...sweepGroups.map((group): ExperimentNode => ({ kind: 'sweep', group })),
      ...groupRuns(others, this.groupBy).map((group): ExperimentNode => ({ kind: 'group', group })),
    ];
  }

  getParent(element: ExperimentNode): ExperimentNode | undefined {
    if (element.kind !== 'run') return undefined;
    if (element.sweep) return { kind: 'sweep', group: element.sweep };
    return element.parent ? { kind: 'group', group: element.parent } : undefined;
  }

  /** The sweeps as the view shows them (newest first). */
  sweepGroups(): SweepGroup[] {
    return groupBySweep(this.entries(), this.sweeps?.folder.sweeps ?? [], (ticket) => this.sweeps?.runner.trialOfTicket(ticket)).groups;
  }

  getTreeItem(element: ExperimentNode): vscode.TreeItem {
    if (element.kind === 'sweep') return this.sweepItem(element.group);
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
    showStatus(item, statusIcon(entry), runTooltip(entry));
    item.contextValue = runContextValue(entry);
    item.accessibilityInformation = { label: `${runLabel(entry)}, ${runDescription(entry)}` };
    if (entry.kind === 'run') {
      item.command = { command: OPEN_DASHBOARD_COMMAND, title: 'Open Dashboard', arguments: [entry.record.id] };
    }
    return item;
  }

  /** The rows as the view shows them now, top to bottom (a sweep's row, then its trials' rows). */
  rows(): ExperimentRow[] {
    const rows: ExperimentRow[] = [];
    for (const node of this.getChildren()) {
      if (node.kind === 'sweep') {
        const item = this.getTreeItem(node);
        rows.push({
          id: String(item.id), label: node.group.sweep.name, description: String(item.description ?? ''),
          contextValue: item.contextValue ?? '', icon: sweepIcon(node.group.sweep).id,
        });
      }
      const children = node.kind === 'run' ? [node] : this.getChildren(node);
      for (const child of children) {
        if (child.kind !== 'run') continue;
        const item = this.getTreeItem(child);
        rows.push({
          id: String(item.id), label: runLabel(child.entry), description: String(item.description ?? ''),
          contextValue: item.contextValue ?? '', icon: statusIcon(child.entry).id,
          ...(node.kind === 'group' ? { group: node.group.label } : node.kind === 'sweep' ? { group: node.group.sweep.name } : {}),
        });
      }
    }
    return rows;
  }

  private sweepItem(group: SweepGroup): vscode.TreeItem {
    const { sweep } = group;
    const running = sweep.status === 'running';
    const state = group.entries.length === 0 ? vscode.TreeItemCollapsibleState.None
      : running ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(sweep.name, state);
    item.id = group.key;
    item.description = sweepDescription(sweep);
    showStatus(item, sweepIcon(sweep), sweepTooltip(sweep));
    item.contextValue = sweepContextValue(sweep, this.sweeps?.runner.isRunning(sweep.id) ?? false);
    item.accessibilityInformation = { label: `Sweep ${sweep.name}, ${item.description}` };
    item.command = { command: OPEN_SWEEP_COMMAND, title: 'Open Sweep', arguments: [sweep.id] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.redraw);
    for (const subscription of this.subscriptions.reverse()) subscription.dispose();
    this.changeEmitter.dispose();
  }

  /** The row of `entry` where it sits: the object VS Code already holds for it when there is one, brought up to date. */
  private runNode(entry: RunEntry, place: { parent?: RunGroup; sweep?: SweepGroup }): ExperimentNode & { kind: 'run' } {
    return this.liveRows.row(place.sweep?.key ?? place.parent?.key ?? '', entry, () => ({ kind: 'run', entry, ...place }), (row) => {
      row.parent = place.parent;
      row.sweep = place.sweep;
    });
  }

  /** Redraws the whole view: rows come and go, move or regroup. */
  private refreshAll(): void {
    this.liveRows.refreshedAll(this.isLoaded ? this.entries() : []);
    this.changeEmitter.fire(undefined);
  }

  /** Redraws the rows whose progress changed, in place; the whole view when runs came, went or moved. */
  private redrawProgress(): void {
    const redraw = this.liveRows.redraw(this.entries(), rowLook);
    if (redraw.kind === 'all') this.refreshAll();
    else if (redraw.rows.length > 0) this.changeEmitter.fire(redraw.rows);
  }

  private trainingChanged(): void {
    // A run queued, started, created or ended: re-read the folder. Progress alone only redraws its rows.
    const shape = JSON.stringify(this.training.runs().map((run) => [run.ticket, run.phase, run.runId]));
    if (shape !== this.trainingShape) {
      this.trainingShape = shape;
      this.shapeChanged = true;
      this.folder.scheduleRefresh();
    }
    this.redraw ??= setTimeout(() => {
      this.redraw = undefined;
      if (!this.shapeChanged) return this.redrawProgress();
      this.shapeChanged = false;
      this.refreshAll();
    }, PROGRESS_REDRAW_MS);
  }
}

/** A row's status icon and its markdown hover (run text may hold `$(…)`: shown as written, not as icons). */
function showStatus(item: vscode.TreeItem, icon: StatusIcon, tooltipMarkdown: string): void {
  item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  const tooltip = new vscode.MarkdownString(tooltipMarkdown);
  tooltip.supportThemeIcons = false;
  item.tooltip = tooltip;
}
