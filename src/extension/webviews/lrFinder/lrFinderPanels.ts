// Find Learning Rate in this window: each range test runs in its own child process (dist/lrFinder.js)
// with a cancellable progress notification, and shows in its own tab; closing the tab stops the test,
// closing the window ends them all. The tabs come back after a window reload with what their pages saved.
import * as vscode from 'vscode';
import type { RunSpec } from '../../../core/runSpec';
import type { BackendChoice } from '../../../protocol/trainer';
import type { LrFinderSearch } from '../../../protocol/lrFinderView';
import { LrFinderHost, type LrFinderOutcome } from '../../../processes/lrFinder/lrFinderHost';
import type { RangeTestRequest } from '../../../protocol/lrFinder';
import { requireTrust } from '../../commands/command';
import { OpenPanels } from '../webviewPanel';
import { parseLrFinderTabState } from './lrFinderMessages';
import { LR_FINDER_VIEW_TYPE, LrFinderPanel, lrFinderSetup, type LrFinderPanelDeps } from './lrFinderPanel';

export interface LrFinderPanelsOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** Where and how the process runs, read at each start (settings may change). */
  processOptions(): { backend: BackendChoice; cwd: string; env: NodeJS.ProcessEnv };
  /** Starts a training run; resolves with its name once its folder exists. */
  startRun(spec: RunSpec): Promise<string>;
}

export class LrFinderPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<LrFinderPanel>();
  private readonly hosts = new Set<LrFinderHost>();
  private readonly serializer: vscode.Disposable;
  private readonly deps: LrFinderPanelDeps;

  constructor(private readonly options: LrFinderPanelsOptions) {
    this.deps = {
      extensionUri: options.context.extensionUri,
      startRun: (spec) => options.startRun(spec),
      searchAgain: (view) => this.searchAgain(view),
      newSearch: () => void vscode.commands.executeCommand('classifierLab.findLearningRate'),
      log: options.log,
    };
    this.serializer = vscode.window.registerWebviewPanelSerializer(LR_FINDER_VIEW_TYPE, { deserializeWebviewPanel: async (panel, state) => this.restore(panel, state) });
  }

  /** Starts a range test on `spec`'s dataset and model, in a new tab with a progress notification. */
  find(spec: RunSpec, rangeTest?: RangeTestRequest): void {
    const search: LrFinderSearch = { spec, ...(rangeTest ? { rangeTest } : {}) };
    const setup = lrFinderSetup(spec);
    const panel = vscode.window.createWebviewPanel(LR_FINDER_VIEW_TYPE, `Learning Rate: ${setup.dataset} · ${spec.model.kind}`, vscode.ViewColumn.Active, {});
    this.run(this.panels.add(new LrFinderPanel(panel, this.deps, { search })), search);
  }

  dispose(): void {
    for (const host of this.hosts) host.kill();
    this.hosts.clear();
    this.panels.dispose();
    this.serializer.dispose();
  }

  /** The tab's search again, with the settings it was made with (after a reload ended it, or after it failed). */
  private searchAgain(view: LrFinderPanel): void {
    const search = view.search;
    if (!search || !requireTrust()) return;
    view.reveal();
    this.run(view, search);
  }

  /** A tab restored after a window reload shows what its page saved, once that parses; else it says why it cannot. */
  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const parsed = parseLrFinderTabState(state);
    if (parsed.ok) {
      if (parsed.state.status === 'running') this.options.log.info(`A Find Learning Rate tab (${parsed.state.search.spec.data.path}) came back after a window reload, which ended its search after ${parsed.state.points.length} steps.`);
      this.panels.add(new LrFinderPanel(panel, this.deps, { restored: parsed.state }));
      return;
    }
    this.options.log.warn(`A Find Learning Rate tab was not restored after a window reload: ${parsed.reason}.`);
    this.panels.add(new LrFinderPanel(panel, this.deps, { notRestored: parsed.reason }));
  }

  /** Runs `search` in its own process, shown in `view`, with a progress notification. */
  private run(view: LrFinderPanel, search: LrFinderSearch): void {
    const { log } = this.options;
    const { spec, rangeTest } = search;
    const setup = lrFinderSetup(spec);
    const processOptions = this.options.processOptions();
    let steps = 0;
    let reportedStep = -1;
    let report: ((message: string, increment: number) => void) | undefined;
    const running = new LrFinderHost({ spec, ...(rangeTest ? { rangeTest } : {}) }, {
      started: (bounds) => {
        steps = bounds.steps;
        view.started(bounds);
        log.info(`Learning-rate range test on ${spec.data.path}: up to ${bounds.steps} steps from ${bounds.minRate} to ${bounds.maxRate}.`);
      },
      point: (point) => {
        view.addPoint(point);
        if (steps > 0 && point.step > reportedStep) {
          report?.(`step ${point.step + 1} of at most ${steps} · rate ${point.rate.toExponential(1)} · loss ${point.smoothedLoss.toFixed(3)}`, (100 * (point.step - reportedStep)) / steps);
          reportedStep = point.step;
        }
      },
      warning: (message) => {
        view.addWarning(message);
        log.warn(`Learning-rate range test: ${message}`);
      },
      output: (line, level) => (level === 'warn' ? log.warn(line) : log.info(line)),
    }, { script: this.options.context.asAbsolutePath('dist/lrFinder.js'), ...processOptions });
    // The process's first message comes in a later turn of the event loop: the tab is showing this search by then.
    view.begin(() => void running.stop());
    this.hosts.add(running);
    log.info(`Started learning-rate finder process ${running.pid ?? '(failed to start)'} for ${spec.data.path} (${spec.model.kind}).`);
    void vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification, title: `Finding a learning rate for ${setup.dataset} (${spec.model.kind})`, cancellable: true,
    }, async (progress, token) => {
      report = (message, increment) => progress.report({ message, increment });
      progress.report({ message: 'reading the dataset…' });
      // Closing the tab stops the test too (the panel asks for it), which ends this notification.
      token.onCancellationRequested(() => void running.stop());
      const outcome = await running.outcome;
      this.hosts.delete(running);
      this.finish(view, outcome, setup.dataset);
    });
  }

  private finish(view: LrFinderPanel, outcome: LrFinderOutcome, dataset: string): void {
    const { log } = this.options;
    if (outcome.status === 'failed') {
      log.error(`Learning-rate range test failed: ${outcome.error}`);
      view.end('failed', undefined, outcome.error);
      void vscode.window.showErrorMessage(`Finding a learning rate for ${dataset} failed: ${outcome.error.split('\n')[0]}`);
      return;
    }
    const { result } = outcome;
    log.info(`Learning-rate range test ${result.end} after ${result.steps} steps: suggested ${result.suggestedRate ?? 'none'}, lowest loss at ${result.minimumRate ?? 'none'}.`);
    view.end(result.end === 'cancelled' ? 'cancelled' : 'finished', result);
  }
}
