// The rows of the Experiments view and the run pickers: the runs folder's runs, each with this window's
// training of it, and the runs still waiting in this window's queue (no folder yet).
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/runs/runRecord';
import type { RunsFolder } from '../runsFolder';
import type { TrainingController } from '../training/trainingController';
import type { TrainingRun } from '../training/trainingRun';

export interface RecordedRunEntry {
  kind: 'run';
  record: RunRecord;
  /** This window trains it now, or waits to resume it. */
  training?: TrainingRun;
}

export interface QueuedRunEntry {
  kind: 'queued';
  /** A run of this window's queue whose folder does not exist yet. */
  training: TrainingRun;
}

export type RunEntry = RecordedRunEntry | QueuedRunEntry;

/** Live progress redraws the view at most this often. */
const PROGRESS_REDRAW_MS = 500;

export class RunEntries implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after the entries changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[];
  private redraw?: NodeJS.Timeout;
  private trainingShape = '';
  private disposed = false;

  constructor(private readonly folder: RunsFolder, private readonly training: TrainingController) {
    this.subscriptions = [
      folder.onDidChangeRuns(() => this.changeEmitter.fire()),
      training.onDidChange(() => this.trainingChanged()),
    ];
  }

  /** True once the runs folder has been read at least once. */
  get isLoaded(): boolean {
    return this.folder.isLoaded;
  }

  entries(): RunEntry[] {
    const runs = this.training.runs();
    const known = new Set(this.folder.runs.map((record) => record.id));
    const entries: RunEntry[] = this.folder.runs.map((record) => {
      const training = runs.find((run) => run.runId === record.id);
      return { kind: 'run', record, ...(training ? { training } : {}) };
    });
    for (const training of runs) {
      if (training.runId === undefined || !known.has(training.runId)) entries.push({ kind: 'queued', training });
    }
    return entries;
  }

  dispose(): void {
    this.disposed = true;
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
    if (this.redraw) return;
    this.redraw = setTimeout(() => {
      this.redraw = undefined;
      if (!this.disposed) this.changeEmitter.fire();
    }, PROGRESS_REDRAW_MS);
  }
}
