// One "Find Learning Rate" tab: the range test's points as they arrive (batched to the page), how it ended
// and the suggested rate, the rate the user chose, and "Start Run with This Rate" (the test's settings with
// the chosen rate). After a window reload it shows what its page saved; a test the reload ended says so
// and can run again in the tab.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../../core/errorMessage';
import type { RunSpec } from '../../../core/runSpec';
import type { LearningRateResult, RangeTestPoint } from '../../../protocol/lrFinder';
import type {
  FromLrFinderView, LrFinderSearch, LrFinderSetup, LrFinderStatus, LrFinderTabState, RangeBounds, ToLrFinderView,
} from '../../../protocol/lrFinderView';
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
  /** Runs the tab's search again in it (the tab's `begin` follows when it starts). */
  searchAgain(panel: LrFinderPanel): void;
  /** Find Learning Rate from its first question. */
  newSearch(): void;
  /** Where refused page messages are logged. */
  log?: vscode.LogOutputChannel;
}

/** What a tab opens with: a search about to begin, a tab restored after a window reload, or why its saved state could not be read. */
export type LrFinderOpening = { search: LrFinderSearch } | { restored: LrFinderTabState } | { notRestored: string };

/** The settings a range test runs with, in the user's words. */
export function lrFinderSetup(spec: RunSpec): LrFinderSetup {
  const t = spec.training;
  const a = spec.augment;
  const augment = [
    a.flip ? 'flip' : '', a.rotateDegrees > 0 ? `rotate ${a.rotateDegrees}°` : '', a.cropPadding > 0 ? `crop ${a.cropPadding} px` : '',
    a.brightness > 0 || a.contrast > 0 || a.saturation > 0 ? 'colour' : '',
  ].filter((part) => part.length > 0);
  const optimizer = `${t.optimizer}${t.optimizer === 'sgd' && t.nesterov ? ' (Nesterov)' : ''}${t.weightDecay ? `, weight decay ${t.weightDecay}` : ''}`;
  return {
    dataset: basename(spec.data.path),
    model: t.initFrom ? `${spec.model.kind}, from the weights of run ${basename(t.initFrom)}` : spec.model.kind,
    training: [optimizer, `batch ${t.batchSize}`, t.loss === 'crossentropy' ? `cross-entropy${t.labelSmoothing > 0 ? `, label smoothing ${t.labelSmoothing}` : ''}` : t.loss,
      augment.length > 0 ? `augmentation: ${augment.join(', ')}` : 'no augmentation'].join(' · '),
  };
}

/** The tab of a search that has not started yet. */
function freshTab(search: LrFinderSearch): LrFinderTabState {
  return { search, status: 'running', points: [], warnings: [] };
}

export class LrFinderPanel extends WebviewPanel<ToLrFinderView, FromLrFinderView> {
  /** Undefined in a tab whose saved state could not be read. */
  private tab?: LrFinderTabState;
  private readonly notRestored?: string;
  private unsent: RangeTestPoint[] = [];
  private flushTimer?: NodeJS.Timeout;
  /** Stops the search this tab shows while it runs. */
  private stopSearch?: () => void;

  constructor(panel: vscode.WebviewPanel, private readonly deps: LrFinderPanelDeps, opening: LrFinderOpening) {
    super(panel, deps.extensionUri, parseFromLrFinderView, deps.log);
    if ('notRestored' in opening) this.notRestored = opening.notRestored;
    else if ('search' in opening) this.tab = freshTab(opening.search);
    // A search still running when the window reloaded died with the extension host: it cannot continue.
    else this.tab = { ...opening.restored, status: opening.restored.status === 'running' ? 'interrupted' : opening.restored.status };
    this.disposables.push({
      dispose: () => {
        clearTimeout(this.flushTimer);
        // Closing the tab ends a test nobody watches any more.
        if (this.isRunning) this.stopSearch?.();
      },
    });
    const dataset = this.tab && lrFinderSetup(this.tab.search.spec).dataset;
    this.load({
      script: 'dist/lrFinderWebview.js', style: 'dist/lrFinderWebview.css', title: panel.title,
      loadingText: dataset === undefined ? 'Find Learning Rate' : 'search' in opening ? `Finding a learning rate for ${dataset}…` : `Learning rate for ${dataset}`,
    });
  }

  get isRunning(): boolean {
    return this.tab?.status === 'running';
  }

  /** What the tab's search is made with; undefined in a tab whose saved state could not be read. */
  get search(): LrFinderSearch | undefined {
    return this.tab?.search;
  }

  /** A search starts in this tab (its first, or one run again): the tab shows it from its first step; `stop` ends it. */
  begin(stop: () => void): void {
    if (!this.tab) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.unsent = [];
    this.tab = freshTab(this.tab.search);
    this.stopSearch = stop;
    this.sendSnapshot();
  }

  started(bounds: RangeBounds): void {
    if (!this.tab) return;
    this.tab.bounds = bounds;
    this.post({ type: 'started', bounds });
  }

  addPoint(point: RangeTestPoint): void {
    if (!this.tab) return;
    this.tab.points.push(point);
    this.unsent.push(point);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  addWarning(message: string): void {
    if (!this.tab) return;
    this.tab.warnings.push(message);
    this.post({ type: 'warning', message });
  }

  end(status: Exclude<LrFinderStatus, 'running' | 'interrupted'>, result?: LearningRateResult, error?: string): void {
    if (!this.tab) return;
    this.flush();
    this.stopSearch = undefined;
    this.tab = { ...this.tab, status, ...(result ? { result } : {}), ...(error !== undefined ? { error } : {}) };
    this.post({ type: 'ended', status, ...(result ? { result } : {}), ...(error !== undefined ? { error } : {}) });
  }

  protected onReady(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.unsent = [];
    this.sendSnapshot();
  }

  protected async onMessage(message: Exclude<FromLrFinderView, { type: 'ready' }>): Promise<void> {
    if (message.type === 'newSearch') {
      if (this.notRestored !== undefined) this.deps.newSearch();
      return;
    }
    const tab = this.tab;
    if (!tab) return;
    switch (message.type) {
      case 'export':
        return saveExport(message);
      case 'stop':
        if (this.isRunning) this.stopSearch?.();
        return;
      case 'chooseRate':
        // Also while it runs (a rate typed early): it stays the user's when the suggestion arrives.
        tab.chosenRate = message.learningRate;
        return;
      case 'searchAgain':
        if (!this.isRunning) this.deps.searchAgain(this);
        return;
      case 'startRun': {
        if (this.isRunning) {
          void vscode.window.showInformationMessage('The range test is still running: wait for its suggestion, or stop it first.');
          return;
        }
        tab.chosenRate = message.learningRate;
        const spec: RunSpec = { ...tab.search.spec, training: { ...tab.search.spec.training, learningRate: message.learningRate } };
        try {
          const name = await this.deps.startRun(spec);
          // The search ran again meanwhile: the curve shown now has started no run.
          if (this.tab !== tab) return;
          tab.startedRun = name;
          this.post({ type: 'runStarted', name });
        } catch (error) {
          void vscode.window.showErrorMessage(`Could not start the run: ${errorMessage(error)}`);
        }
        return;
      }
    }
  }

  private sendSnapshot(): void {
    if (this.notRestored !== undefined) {
      this.post({ type: 'notRestored', reason: this.notRestored });
      return;
    }
    if (!this.tab) return;
    this.post({ type: 'snapshot', snapshot: { ...this.tab, points: [...this.tab.points], warnings: [...this.tab.warnings], setup: lrFinderSetup(this.tab.search.spec) } });
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.unsent.length === 0) return;
    this.post({ type: 'points', points: this.unsent });
    this.unsent = [];
  }
}
