// Find Learning Rate in this window: each range test runs in its own child process (dist/lrFinder.js)
// with a cancellable progress notification, and shows in its own tab; closing the tab stops the test,
// closing the window ends them all.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RunSpec } from '../../../core/runSpec';
import type { BackendChoice } from '../../../protocol/trainer';
import type { LrFinderSetup } from '../../../protocol/lrFinderView';
import { LrFinderHost, type LrFinderOutcome } from '../../../processes/lrFinder/lrFinderHost';
import type { RangeTestRequest } from '../../../protocol/lrFinder';
import { OpenPanels } from '../webviewPanel';
import { LR_FINDER_VIEW_TYPE, LrFinderPanel } from './lrFinderPanel';

export interface LrFinderPanelsOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** Where and how the process runs, read at each start (settings may change). */
  processOptions(): { backend: BackendChoice; cwd: string; env: NodeJS.ProcessEnv };
  /** Starts a training run; resolves with its name once its folder exists. */
  startRun(spec: RunSpec): Promise<string>;
}

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

export class LrFinderPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<LrFinderPanel>();
  private readonly hosts = new Set<LrFinderHost>();

  constructor(private readonly options: LrFinderPanelsOptions) {}

  /** Starts a range test on `spec`'s dataset and model, in a new tab with a progress notification. */
  find(spec: RunSpec, rangeTest?: RangeTestRequest): void {
    const setup = lrFinderSetup(spec);
    const { log } = this.options;
    const panel = vscode.window.createWebviewPanel(LR_FINDER_VIEW_TYPE, `Learning Rate: ${setup.dataset} · ${spec.model.kind}`, vscode.ViewColumn.Active, {});
    // The panel's Stop reaches the host created just below (only after the page has loaded).
    const stop = { search: (): void => undefined };
    const view = this.panels.add(new LrFinderPanel(panel, {
      extensionUri: this.options.context.extensionUri,
      startRun: (runSpec) => this.options.startRun(runSpec),
      stopSearch: () => stop.search(),
    }, spec, setup));
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
    stop.search = () => void running.stop();
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
      this.finish(view, outcome, setup);
    });
  }

  private finish(view: LrFinderPanel, outcome: LrFinderOutcome, setup: LrFinderSetup): void {
    const { log } = this.options;
    if (outcome.status === 'failed') {
      log.error(`Learning-rate range test failed: ${outcome.error}`);
      view.end('failed', undefined, outcome.error);
      void vscode.window.showErrorMessage(`Finding a learning rate for ${setup.dataset} failed: ${outcome.error.split('\n')[0]}`);
      return;
    }
    const { result } = outcome;
    log.info(`Learning-rate range test ${result.end} after ${result.steps} steps: suggested ${result.suggestedRate ?? 'none'}, lowest loss at ${result.minimumRate ?? 'none'}.`);
    view.end(result.end === 'cancelled' ? 'cancelled' : 'finished', result);
  }

  dispose(): void {
    for (const host of this.hosts) host.kill();
    this.hosts.clear();
    this.panels.dispose();
  }
}
