// Trains runs for this window and tells the user how they go: log lines, a cancellable progress
// notification, a notification when a run ends. The lifecycle itself is the queue's (runQueue.ts).
import { join } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import type { ExecutionEvent, RunExecutor } from '../../processes/runExecutor';
import type { RunsFolder } from '../runsFolder';
import type { UserErrors } from '../userErrors';
import { RunQueue, type QueuedRun, type RunObserver } from './runQueue';
import { formatPercent, progressFraction, progressText } from './runProgress';
import type { RunEnd, RunRequest, RunTimings, TrainingRun } from './trainingRun';

export interface StartOptions {
  /** Started by the user from a command: show a cancellable progress notification. */
  interactive?: boolean;
  /** When the user asked for it (ms since the epoch), for the time-to-first-epoch measurement. */
  requestedAt?: number;
}

export interface TrainingControllerOptions {
  /** Trains runs on this machine. */
  executor: RunExecutor;
  /** The executor for a run requested now when it trains elsewhere (`classifierLab.executor`), else undefined. */
  clusterExecutor?(): RunExecutor | undefined;
  folder: RunsFolder;
  log: vscode.LogOutputChannel;
  errors: UserErrors;
  /** `classifierLab.concurrentRuns`, read at every decision. */
  concurrency(): number;
  openDashboard(runId: string): unknown;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

export class TrainingController implements vscode.Disposable, RunObserver {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when a run is queued, starts, makes progress, gets its folder or ends. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly queue: RunQueue;
  private readonly timingsByRun = new Map<string, RunTimings>();

  constructor(private readonly options: TrainingControllerOptions) {
    this.queue = new RunQueue({ executor: () => options.clusterExecutor?.() ?? options.executor, concurrency: options.concurrency, observer: this });
    this.queue.onDidChange(() => this.changeEmitter.fire());
  }

  /** Queues a run; it starts when fewer than `classifierLab.concurrentRuns` runs train here (a Slurm job is submitted at once). */
  start(request: RunRequest, startOptions: StartOptions = {}): QueuedRun {
    if (!vscode.workspace.isTrusted) throw new Error('Training is turned off in Restricted Mode: trust this workspace to train.');
    const queued = this.queue.enqueue(request, startOptions.requestedAt);
    if (request.resumeRunId) this.timingsByRun.set(request.resumeRunId, queued.run.timings);
    this.options.log.info(`Queued ${request.resumeRunId ? `resuming run ${request.resumeRunId}` : `a ${request.spec.model.kind} run on ${request.spec.data.path}`} (${this.queue.queued().length} waiting, ${this.queue.active().length} training).`);
    if (startOptions.interactive) this.showProgress(queued);
    return queued;
  }

  /** Stops a run trained here, or takes it out of the queue. False when this window does not train it. */
  async stop(target: { runId: string } | { ticket: number }): Promise<boolean> {
    const run = 'ticket' in target ? this.queue.runs().find((r) => r.ticket === target.ticket) : this.queue.find(target.runId);
    if (!run) return false;
    if (run.phase !== 'queued') this.options.log.info(`Stopping "${run.name}" after its current batch.`);
    return this.queue.stop(run.ticket);
  }

  /** Every run of this window not ended yet: training ones first, then the queue in order. */
  runs(): readonly TrainingRun[] {
    return this.queue.runs();
  }

  /** The run this window trains, or will resume, as `runId`. */
  find(runId: string): TrainingRun | undefined {
    return this.queue.find(runId);
  }

  /** The run the status bar shows: the one started last. */
  latestActive(): TrainingRun | undefined {
    return this.queue.active().at(-1);
  }

  timings(runId: string): RunTimings | undefined {
    return this.timingsByRun.get(runId);
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  /** The concurrency setting changed: start waiting runs if there is room now. */
  pump(): void {
    this.queue.pump();
  }

  /** The window is closing: trainers are let go and end their runs as interrupted (resumable). */
  dispose(): void {
    const active = this.queue.active().length;
    if (active > 0) this.options.log.info(`Leaving ${active} run(s) to end as interrupted; resume them later.`);
    this.queue.dispose();
    this.changeEmitter.dispose();
  }

  launched(run: TrainingRun): void {
    // Executors without a local process say what they did through `output`.
    if (run.pid !== undefined) this.options.log.info(`Started trainer process ${run.pid} for "${run.name}".`);
  }

  created(run: TrainingRun): void {
    const runId = run.runId!;
    this.timingsByRun.set(runId, run.timings);
    this.options.log.info(`Run ${runId} ${run.request.resumeRunId ? 'resumes' : 'created'} in ${join(run.request.runsDir, runId)}`);
  }

  output(_run: TrainingRun, line: string, level: 'info' | 'warn'): void {
    if (level === 'warn') this.options.log.warn(line);
    else this.options.log.info(line);
  }

  event(run: TrainingRun, event: ExecutionEvent): void {
    const log = this.options.log;
    const name = run.name;
    switch (event.type) {
      case 'runStart':
        log.info(`"${name}": training on ${event.backend}; ${event.trainCount} train / ${event.valCount} val / ${event.testCount} test images, ${event.classes.length} classes, ${event.parameterCount.toLocaleString('en-US')} parameters, epochs ${event.startEpoch}-${event.epochs}.`);
        break;
      case 'epochEnd': {
        log.info(`"${name}": epoch ${event.epoch}: loss ${event.loss.toFixed(4)}, acc ${formatPercent(event.acc)}, ${event.valLoss !== undefined && event.valAcc !== undefined ? `val loss ${event.valLoss.toFixed(4)}, val acc ${formatPercent(event.valAcc)}` : 'no validation split'}${event.isBest ? ' (best)' : ''}, ${Math.round(event.imagesPerSecond)} images/s, ${(event.durationMs / 1000).toFixed(1)} s.`);
        const t = run.timings;
        if (run.progress && event.epoch === run.progress.startEpoch) {
          const since = (at: number | undefined) => (at === undefined ? '?' : `${((at - t.requestedAt) / 1000).toFixed(1)} s`);
          log.info(`"${name}": first epoch done ${since(t.firstEpochAt)} after the run was requested (trainer started ${since(t.trainerStartedAt)}, run folder ${since(t.runCreatedAt)}, dataset loaded and training started ${since(t.trainingStartedAt)}).`);
        }
        break;
      }
      case 'testEnd':
        log.info(`"${name}": test accuracy ${formatPercent(event.acc)} (model of epoch ${event.epoch}).`);
        break;
      case 'log':
        (event.level === 'error' ? log.error : event.level === 'warn' ? log.warn : log.info).call(log, `"${name}": ${event.message}`);
        break;
      case 'runEnd':
        log.info(`"${name}": ${event.status}${event.best ? `, best ${event.best.valAcc !== undefined ? `val acc ${formatPercent(event.best.valAcc)}` : `train acc ${formatPercent(event.best.trainAcc ?? 0)} (no validation split)`} at epoch ${event.best.epoch}` : ''}.`);
        break;
      case 'batchEnd':
        break;
    }
  }

  ended(run: TrainingRun, end: RunEnd): void {
    void this.announceEnd(run, end).catch((error: unknown) => this.options.log.error(`Could not report how "${run.name}" ended: ${errorMessage(error)}`));
  }

  private async announceEnd(run: TrainingRun, end: RunEnd): Promise<void> {
    const runId = end.runId ?? run.runId;
    const record = runId !== undefined ? await this.options.folder.storeAt(run.request.runsDir).read(runId).catch(() => undefined) : undefined;
    const name = record?.name ?? run.name;
    const openDashboard = runId !== undefined ? [{ title: 'Open Dashboard', run: () => this.options.openDashboard(runId) }] : [];
    switch (end.status) {
      case 'completed': {
        const summary = record?.summary;
        const atEpoch = summary?.bestEpoch !== undefined ? ` (epoch ${summary.bestEpoch})` : '';
        const best = summary?.bestValAcc !== undefined ? `: best validation accuracy ${formatPercent(summary.bestValAcc)}${atEpoch}`
          : summary?.bestTrainAcc !== undefined ? `: best training accuracy ${formatPercent(summary.bestTrainAcc)}${atEpoch}, no validation split` : '';
        const message = `Run "${name}" completed${best}.`;
        this.options.log.info(message);
        void vscode.window.showInformationMessage(message, ...openDashboard.map((a) => a.title)).then((picked) => { if (picked) openDashboard[0]?.run(); });
        break;
      }
      case 'failed': {
        const reason = end.error ?? 'no reason was given';
        if (runId === undefined) {
          this.options.errors.show(`Could not start training: ${firstLine(reason)}`, new Error(reason), ['showLog', 'openSettings']);
        } else if (end.notStarted) {
          this.options.errors.show(`Could not resume "${name}": ${firstLine(reason)}`, new Error(reason), ['showLog', 'openSettings']);
        } else {
          this.options.errors.show(`Run "${name}" failed: ${firstLine(reason)}`, new Error(reason), ['showLog', ...openDashboard]);
        }
        break;
      }
      case 'cancelled':
        this.options.log.info(`Run "${name}" stopped${end.killed ? ' (the trainer did not stop in time and was ended)' : ''}.`);
        vscode.window.setStatusBarMessage(`Classifier Lab: run "${name}" stopped`, 5_000);
        break;
      case 'interrupted':
        if (end.error !== undefined && runId !== undefined) {
          // Stopped by something other than this window (a cluster's time limit, a failed node): say why, and offer to go on.
          this.options.log.warn(`Run "${name}" was interrupted: ${end.error}`);
          void vscode.window.showWarningMessage(`Run "${name}" stopped: ${firstLine(end.error)}`, 'Resume Run', ...openDashboard.map((a) => a.title)).then((picked) => {
            if (picked === 'Resume Run') void vscode.commands.executeCommand('classifierLab.resumeRun', runId);
            else if (picked) openDashboard[0]?.run();
          });
        } else {
          this.options.log.info(`Run "${name}" was interrupted; it can be resumed.`);
        }
        break;
    }
  }

  /** A cancellable notification that follows the run's state until it ends. */
  private showProgress({ run, ended }: QueuedRun): void {
    // The run's name is only final once its folder exists, so it goes in the message, not the title.
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Training', cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => {
        void this.stop({ ticket: run.ticket }).catch((error: unknown) => this.options.errors.show(`Could not stop "${run.name}": ${errorMessage(error)}`, error));
      });
      let reported = 0;
      let shown = '';
      const update = () => {
        const text = run.phase === 'queued' ? 'waiting for a free slot…' : run.progress ? progressText(run.progress) : run.stateText ?? 'loading the dataset…';
        const increment = Math.max(0, (run.progress ? progressFraction(run.progress) * 100 : 0) - reported);
        if (`${run.name}: ${text}` === shown && increment === 0) return;
        shown = `${run.name}: ${text}`;
        reported += increment;
        progress.report({ message: shown, increment });
      };
      update();
      const subscription = this.onDidChange(update);
      return ended.finally(() => subscription.dispose());
    });
  }
}
