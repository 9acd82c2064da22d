// Starts, queues and stops background training runs for this window, and tells the user how they
// go: log lines, a cancellable progress notification, and a notification when a run ends.
import * as vscode from 'vscode';
import { RunStore } from '../core/runs/runStore';
import type { TrainingEvent } from '../core/train/trainingEvents';
import { datasetLabel } from '../core/runs/defaultRunName';
import { RunQueue, type QueuedRun, type RunRequest } from './runQueue';
import { formatPercent, nextProgress, progressFraction, progressText, type RunProgress } from './runProgress';
import type { ClassifierLabSettings } from './settingsValues';
import { TrainerProcessHost, type TrainerExit } from './trainerProcessHost';
import { errorMessage, type UserErrors } from './userErrors';

/** A run request with the folder it is written to (fixed when it is asked for, whatever the settings do later). */
export interface TrainingRequest extends RunRequest {
  runsDir: string;
}

export interface StartOptions {
  /** Started by the user from a command: show a cancellable progress notification. */
  interactive?: boolean;
  /** When the user asked for it (ms since the epoch), for the time-to-first-epoch measurement. */
  requestedAt?: number;
}

export interface StartedRun {
  ticket: number;
  /** Resolves with the run id once the trainer has created (or reopened) the run folder; rejects when it never does. */
  created: Promise<string>;
  finished: Promise<TrainerExit>;
}

/** Milliseconds since the epoch at each stage of a run started here. */
export interface RunTimings {
  requestedAt: number;
  trainerStartedAt?: number;
  runCreatedAt?: number;
  trainingStartedAt?: number;
  firstEpochAt?: number;
}

export interface RunFinished {
  request: TrainingRequest;
  exit: TrainerExit;
}

export interface TrainingControllerOptions {
  trainerScript: string;
  log: vscode.LogOutputChannel;
  errors: UserErrors;
  settings(): ClassifierLabSettings;
  /** Working folder of trainer processes. */
  cwd(): string | undefined;
  openDashboard(runId: string): unknown;
}

interface TicketState {
  ticket: number;
  request: TrainingRequest;
  runId?: string;
  name: string;
  progress?: RunProgress;
  timings: RunTimings;
  lastProgressFire: number;
  resolveCreated(runId: string): void;
  rejectCreated(error: Error): void;
  report?(progress: RunProgress): void;
  /** Tells the progress notification what the run waits for before its first batch. */
  announce?(text: string): void;
}

/** Progress changes more often than this are batched (a batch can take a few milliseconds). */
const PROGRESS_INTERVAL_MS = 250;

function firstLine(text: string): string {
  return text.split('\n')[0];
}

export class TrainingController implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly finishEmitter = new vscode.EventEmitter<RunFinished>();
  /** Fires when a run is queued, starts, makes progress, gets its folder or ends. */
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidFinish = this.finishEmitter.event;
  private readonly queue: RunQueue;
  private readonly tickets = new Map<number, TicketState>();
  private readonly timingsByRun = new Map<string, RunTimings>();

  constructor(private readonly options: TrainingControllerOptions) {
    this.queue = new RunQueue({
      launch: (run) => this.launch(run),
      concurrency: () => options.settings().concurrentRuns,
    });
    this.queue.onDidChange(() => this.changeEmitter.fire());
  }

  /** Queues a run; it starts when fewer than `classifierLab.concurrentRuns` runs are training. */
  start(request: TrainingRequest, startOptions: StartOptions = {}): StartedRun {
    if (!vscode.workspace.isTrusted) throw new Error('Training is turned off in Restricted Mode: trust this workspace to train.');
    let resolveCreated: (runId: string) => void = () => undefined;
    let rejectCreated: (error: Error) => void = () => undefined;
    const created = new Promise<string>((resolve, reject) => { resolveCreated = resolve; rejectCreated = reject; });
    // Callers that only care about `finished` must not see an unhandled rejection.
    created.catch(() => undefined);
    let state: TicketState | undefined;
    const { ticket, finished } = this.queue.enqueue(request, (ticket) => {
      state = {
        ticket, request, resolveCreated, rejectCreated, lastProgressFire: 0,
        name: request.name ?? `${request.spec.model.kind}-${datasetLabel(request.spec.data.path)}`,
        timings: { requestedAt: startOptions.requestedAt ?? Date.now() },
      };
      this.tickets.set(ticket, state);
    });
    const queuedState = state as TicketState | undefined;
    if (!queuedState) throw new Error('The run queue did not hand out a ticket.');
    if (request.resumeRunId) this.timingsByRun.set(request.resumeRunId, queuedState.timings);
    this.options.log.info(`Queued ${request.resumeRunId ? `resuming run ${request.resumeRunId}` : `a ${request.spec.model.kind} run on ${request.spec.data.path}`} (${this.queue.queued().length} waiting, ${this.queue.active().length} training).`);
    const done = finished.then((exit) => this.finish(queuedState, exit));
    if (startOptions.interactive) this.showProgress(queuedState, done);
    return { ticket, created, finished: done.then(() => finished) };
  }

  /** Stops a run trained here, or takes it out of the queue. False when this window does not train it. */
  async stop(target: { runId: string } | { ticket: number }): Promise<boolean> {
    const state = 'ticket' in target ? this.tickets.get(target.ticket) : [...this.tickets.values()].find((s) => s.runId === target.runId || s.request.resumeRunId === target.runId);
    if (!state) return false;
    if (this.queue.remove(state.ticket)) return true;
    const active = this.queue.active().find((run) => run.ticket === state.ticket);
    if (!active) return false;
    this.options.log.info(`Stopping "${state.name}" after its current batch.`);
    await active.trainer.stop();
    return true;
  }

  /** Runs waiting for a free slot. */
  queued(): QueuedRun[] {
    return this.queue.queued();
  }

  /** Runs whose trainer has started but not yet created the run folder (loading the dataset). */
  starting(): QueuedRun[] {
    return this.queue.active().filter((run) => run.trainer.runId === undefined)
      .map(({ ticket, request, queuedAt }) => ({ ticket, request, queuedAt }));
  }

  /** Ids of the runs this window is training now. */
  trainingRunIds(): string[] {
    return this.queue.active().map((run) => run.trainer.runId).filter((id): id is string => id !== undefined);
  }

  isTrainingHere(runId: string): boolean {
    return this.queue.findActive(runId) !== undefined;
  }

  progressOf(runId: string): RunProgress | undefined {
    return [...this.tickets.values()].find((state) => state.runId === runId)?.progress;
  }

  /** The active run the status bar shows: the one started last, with its progress. */
  latestActive(): { runId?: string; name: string; progress?: RunProgress } | undefined {
    const active = this.queue.active();
    const last = active[active.length - 1];
    const state = last ? this.tickets.get(last.ticket) : undefined;
    return state ? { runId: state.runId, name: state.name, progress: state.progress } : undefined;
  }

  trainerPid(runId: string): number | undefined {
    return this.queue.findActive(runId)?.trainer.pid;
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
    this.finishEmitter.dispose();
  }

  private launch(run: QueuedRun): TrainerProcessHost {
    const state = this.tickets.get(run.ticket)!;
    const request = state.request;
    const settings = this.options.settings();
    state.timings.trainerStartedAt = Date.now();
    state.announce?.('loading the dataset…');
    const host = new TrainerProcessHost({
      type: 'start', runsDir: request.runsDir, spec: request.spec, backend: settings.backend,
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.resumeRunId !== undefined ? { resumeRunId: request.resumeRunId } : {}),
    }, {
      trainerScript: this.options.trainerScript,
      cwd: this.options.cwd(),
      onRunCreated: (runId, runDir) => {
        state.runId = runId;
        state.timings.runCreatedAt = Date.now();
        this.timingsByRun.set(runId, state.timings);
        this.options.log.info(`Run ${runId} ${request.resumeRunId ? 'resumes' : 'created'} in ${runDir}`);
        state.resolveCreated(runId);
        void new RunStore(request.runsDir).read(runId).then((record) => { state.name = record.name; }, () => undefined);
        this.changeEmitter.fire();
      },
      onEvent: (event, runId) => this.receive(state, event, runId),
      onOutput: (line, stream) => (stream === 'stderr' ? this.options.log.warn(`[trainer ${host.pid}] ${line}`) : this.options.log.info(`[trainer ${host.pid}] ${line}`)),
      onProblem: (message) => this.options.log.warn(message),
    });
    this.options.log.info(`Started trainer process ${host.pid ?? '(failed to start)'} for "${state.name}" (backend preference: ${settings.backend}).`);
    return host;
  }

  private receive(state: TicketState, event: TrainingEvent, runId: string): void {
    const log = this.options.log;
    const now = Date.now();
    state.progress = nextProgress(state.progress, event, runId);
    switch (event.type) {
      case 'runStart':
        state.timings.trainingStartedAt = now;
        log.info(`"${state.name}": training on ${event.backend}; ${event.trainCount} train / ${event.valCount} val / ${event.testCount} test images, ${event.classes.length} classes, ${event.parameterCount.toLocaleString('en-US')} parameters, epochs ${event.startEpoch}-${event.epochs}.`);
        break;
      case 'epochEnd':
        log.info(`"${state.name}": epoch ${event.epoch}: loss ${event.loss.toFixed(4)}, acc ${formatPercent(event.acc)}, ${event.valLoss !== undefined && event.valAcc !== undefined ? `val loss ${event.valLoss.toFixed(4)}, val acc ${formatPercent(event.valAcc)}` : 'no validation split'}${event.isBest ? ' (best)' : ''}, ${Math.round(event.imagesPerSecond)} images/s, ${(event.durationMs / 1000).toFixed(1)} s.`);
        if (state.timings.firstEpochAt === undefined) {
          state.timings.firstEpochAt = now;
          const t = state.timings;
          const since = (at: number | undefined) => (at === undefined ? '?' : `${((at - t.requestedAt) / 1000).toFixed(1)} s`);
          log.info(`"${state.name}": first epoch done ${since(t.firstEpochAt)} after the run was requested (trainer started ${since(t.trainerStartedAt)}, run folder ${since(t.runCreatedAt)}, dataset loaded and training started ${since(t.trainingStartedAt)}).`);
        }
        break;
      case 'testEnd':
        log.info(`"${state.name}": test accuracy ${formatPercent(event.acc)} (model of epoch ${event.epoch}).`);
        break;
      case 'log':
        (event.level === 'error' ? log.error : event.level === 'warn' ? log.warn : log.info).call(log, `"${state.name}": ${event.message}`);
        break;
      case 'runEnd':
        log.info(`"${state.name}": ${event.status}${event.best ? `, best ${event.best.valAcc !== undefined ? `val acc ${formatPercent(event.best.valAcc)}` : `train acc ${formatPercent(event.best.trainAcc ?? 0)} (no validation split)`} at epoch ${event.best.epoch}` : ''}.`);
        break;
      case 'batchEnd':
        // Batches are frequent: tell listeners at a bounded rate.
        if (now - state.lastProgressFire < PROGRESS_INTERVAL_MS) return;
        break;
    }
    state.lastProgressFire = now;
    if (state.progress) state.report?.(state.progress);
    this.changeEmitter.fire();
  }

  private async finish(state: TicketState, exit: TrainerExit): Promise<void> {
    this.tickets.delete(state.ticket);
    const runId = exit.runId ?? state.runId;
    if (runId === undefined) {
      state.rejectCreated(new Error(exit.error ?? `The run ended (${exit.status}) before its folder was created.`));
    } else {
      state.resolveCreated(runId);
    }
    const store = new RunStore(state.request.runsDir);
    const record = runId !== undefined ? await store.read(runId).catch(() => undefined) : undefined;
    const name = record?.name ?? state.name;
    const openDashboard = runId !== undefined ? [{ title: 'Open Dashboard', run: () => this.options.openDashboard(runId) }] : [];
    switch (exit.status) {
      case 'completed': {
        const best = record?.summary.bestValAcc;
        const message = `Run "${name}" completed${best !== undefined ? `: best validation accuracy ${formatPercent(best)}${record?.summary.bestEpoch !== undefined ? ` (epoch ${record.summary.bestEpoch})` : ''}` : ''}.`;
        this.options.log.info(message);
        void vscode.window.showInformationMessage(message, ...openDashboard.map((a) => a.title)).then((picked) => { if (picked) openDashboard[0]?.run(); });
        break;
      }
      case 'failed': {
        const reason = exit.error ?? 'no reason was given';
        if (runId === undefined) {
          this.options.errors.show(`Could not start training: ${firstLine(reason)}`, new Error(reason), ['showLog', 'openSettings']);
        } else {
          this.options.errors.show(`Run "${name}" failed: ${firstLine(reason)}`, new Error(reason), ['showLog', ...openDashboard]);
        }
        break;
      }
      case 'cancelled':
        this.options.log.info(`Run "${name}" stopped${exit.killed ? ' (the trainer did not stop in time and was ended)' : ''}.`);
        vscode.window.setStatusBarMessage(`Classifier Lab: run "${name}" stopped`, 5_000);
        break;
      case 'interrupted':
        this.options.log.info(`Run "${name}" was interrupted; it can be resumed.`);
        break;
    }
    this.finishEmitter.fire({ request: state.request, exit });
    this.changeEmitter.fire();
  }

  private showProgress(state: TicketState, done: Promise<void>): void {
    // The run's name is only final once its folder exists, so it goes in the message, not the title.
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Training', cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => {
        void this.stop({ ticket: state.ticket }).catch((error: unknown) => this.options.errors.show(`Could not stop "${state.name}": ${errorMessage(error)}`, error));
      });
      let reported = 0;
      const waiting = this.queue.queued().some((run) => run.ticket === state.ticket);
      state.announce = (text) => progress.report({ message: `${state.name}: ${text}` });
      state.announce(waiting ? 'waiting for a free slot…' : 'loading the dataset…');
      state.report = (current) => {
        const percent = progressFraction(current) * 100;
        const increment = Math.max(0, percent - reported);
        reported += increment;
        progress.report({ message: `${state.name}: ${progressText(current)}`, increment });
      };
      return done;
    });
  }
}
