// One "Find Learning Rate" tab: the range test's points as they arrive (batched to the page), how it ended
// and the suggested rate, and "Start Run with This Rate" (the test's settings with the chosen rate).
import * as vscode from 'vscode';
import { errorMessage } from '../../../core/errorMessage';
import type { RunSpec } from '../../../core/runSpec';
import type { LearningRateResult, RangeTestPoint } from '../../../protocol/lrFinder';
import type { FromLrFinderView, LrFinderSetup, LrFinderSnapshot, LrFinderStatus, RangeBounds, ToLrFinderView } from '../../../protocol/lrFinderView';
import { saveExport } from '../saveExport';
import { WebviewPanel } from '../webviewPanel';
import { parseFromLrFinderView } from './lrFinderMessages';

export const LR_FINDER_VIEW_TYPE = 'classifierLab.lrFinder';
/** Points are sent to the page at most this often (a fast model makes dozens of steps a second). */
const FLUSH_MS = 100;

export interface LrFinderPanelDeps {
  extensionUri: vscode.Uri;
  /** Starts a run with this spec; resolves with its name once its folder exists. */
  startRun(spec: RunSpec): Promise<string>;
  /** Stops the range test (the user pressed Stop, or closed the tab). */
  stopSearch(): void;
}

export class LrFinderPanel extends WebviewPanel<ToLrFinderView, FromLrFinderView> {
  private readonly points: RangeTestPoint[] = [];
  private unsent: RangeTestPoint[] = [];
  private readonly warnings: string[] = [];
  private status: LrFinderStatus = 'running';
  private bounds?: RangeBounds;
  private result?: LearningRateResult;
  private error?: string;
  private startedRun?: string;
  private flushTimer?: NodeJS.Timeout;

  constructor(panel: vscode.WebviewPanel, private readonly deps: LrFinderPanelDeps, private readonly spec: RunSpec, private readonly setup: LrFinderSetup) {
    super(panel, deps.extensionUri, parseFromLrFinderView);
    this.disposables.push({
      dispose: () => {
        clearTimeout(this.flushTimer);
        // Closing the tab ends a test nobody watches any more.
        if (this.status === 'running') deps.stopSearch();
      },
    });
    this.load({
      script: 'dist/lrFinderWebview.js', style: 'dist/lrFinderWebview.css', title: panel.title, loadingText: `Finding a learning rate for ${setup.dataset}…`,
    });
  }

  get isRunning(): boolean {
    return this.status === 'running';
  }

  started(bounds: RangeBounds): void {
    this.bounds = bounds;
    this.post({ type: 'started', bounds });
  }

  addPoint(point: RangeTestPoint): void {
    this.points.push(point);
    this.unsent.push(point);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  addWarning(message: string): void {
    this.warnings.push(message);
    this.post({ type: 'warning', message });
  }

  end(status: Exclude<LrFinderStatus, 'running'>, result?: LearningRateResult, error?: string): void {
    this.flush();
    this.status = status;
    this.result = result;
    this.error = error;
    this.post({ type: 'ended', status, ...(result ? { result } : {}), ...(error !== undefined ? { error } : {}) });
  }

  protected onReady(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.unsent = [];
    const snapshot: LrFinderSnapshot = {
      setup: this.setup, status: this.status, points: [...this.points], warnings: [...this.warnings],
      ...(this.bounds ? { bounds: this.bounds } : {}),
      ...(this.result ? { result: this.result } : {}), ...(this.error !== undefined ? { error: this.error } : {}),
      ...(this.startedRun !== undefined ? { startedRun: this.startedRun } : {}),
    };
    this.post({ type: 'snapshot', snapshot });
  }

  protected async onMessage(message: Exclude<FromLrFinderView, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'export':
        return saveExport(message);
      case 'stop':
        if (this.status === 'running') this.deps.stopSearch();
        return;
      case 'startRun': {
        if (this.status === 'running') {
          void vscode.window.showInformationMessage('The range test is still running: wait for its suggestion, or stop it first.');
          return;
        }
        const spec: RunSpec = { ...this.spec, training: { ...this.spec.training, learningRate: message.learningRate } };
        try {
          this.startedRun = await this.deps.startRun(spec);
          this.post({ type: 'runStarted', name: this.startedRun });
        } catch (error) {
          void vscode.window.showErrorMessage(`Could not start the run: ${errorMessage(error)}`);
        }
        return;
      }
    }
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.unsent.length === 0) return;
    this.post({ type: 'points', points: this.unsent });
    this.unsent = [];
  }
}
