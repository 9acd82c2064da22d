// The runs this window trains: a queue, first come first served, with at most `concurrency()` training at
// once on this machine through an executor (runs sent to a cluster's scheduler take no slot and start at
// once). Each run is one TrainingRun from its request to its end; the queue keeps it current (phase, real
// id and name, progress) and tells an observer what happens. No VS Code API here.
import { errorMessage } from '../../core/errorMessage';
import type { ExecutionEvent, RunExecution, RunExecutor } from '../../processes/runExecutor';
import { nextProgress } from './runProgress';
import { provisionalName, type RunEnd, type RunRequest, type TrainingRun } from './trainingRun';

/** Progress changes more often than this are told in one go (a batch can take a few milliseconds). */
const PROGRESS_INTERVAL_MS = 250;

function usesLocalSlot(entry: Entry): boolean {
  return entry.executor.usesLocalSlot !== false;
}

export interface RunObserver {
  /** Its turn came: the executor started it. */
  launched?(run: TrainingRun): void;
  /** Its folder exists: `runId` and `name` are final. */
  created?(run: TrainingRun): void;
  event?(run: TrainingRun, event: ExecutionEvent): void;
  output?(run: TrainingRun, line: string, level: 'info' | 'warn'): void;
  ended?(run: TrainingRun, end: RunEnd): void;
}

export interface RunQueueOptions {
  /** The executor, or a function giving the one for a run requested now (a settings change applies to runs requested after it). */
  executor: RunExecutor | (() => RunExecutor);
  /** How many runs may train at once on this machine (read at every decision, so a settings change applies at once). */
  concurrency(): number;
  observer?: RunObserver;
}

/** A run in the queue, as `enqueue` hands it out. */
export interface QueuedRun {
  readonly run: TrainingRun;
  /** Resolves with the run id once its folder exists (a resume: once its trainer reopened it); rejects when training ends before that. */
  readonly created: Promise<string>;
  /** Resolves with how training ended; a run taken out of the queue before it started ends cancelled. */
  readonly ended: Promise<RunEnd>;
}

type MutableRun = { -readonly [K in keyof TrainingRun]: TrainingRun[K] };

interface Entry {
  run: MutableRun;
  /** Chosen when the run was requested. */
  executor: RunExecutor;
  execution?: RunExecution;
  lastNotice: number;
  resolveCreated(runId: string): void;
  rejectCreated(error: Error): void;
  settle(end: RunEnd): void;
}

export class RunQueue {
  private readonly entries: Entry[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly idleWaiters: (() => void)[] = [];
  private nextTicket = 1;
  private disposed = false;

  constructor(private readonly options: RunQueueOptions) {}

  /** Adds a run to the end of the queue and starts it when a slot is free (maybe at once). */
  enqueue(request: RunRequest, requestedAt = Date.now()): QueuedRun {
    if (this.disposed) throw new Error('The run queue has been disposed.');
    let resolveCreated: (runId: string) => void = () => undefined;
    let rejectCreated: (error: Error) => void = () => undefined;
    const created = new Promise<string>((resolve, reject) => { resolveCreated = resolve; rejectCreated = reject; });
    // Callers that only care about `ended` must not see an unhandled rejection.
    created.catch(() => undefined);
    let settle: (end: RunEnd) => void = () => undefined;
    const ended = new Promise<RunEnd>((resolve) => { settle = resolve; });
    const run: MutableRun = {
      ticket: this.nextTicket++, request, queuedAt: new Date(), phase: 'queued', name: provisionalName(request),
      timings: { requestedAt }, ...(request.resumeRunId !== undefined ? { runId: request.resumeRunId } : {}),
    };
    const executor = typeof this.options.executor === 'function' ? this.options.executor() : this.options.executor;
    this.entries.push({ run, executor, lastNotice: 0, resolveCreated, rejectCreated, settle });
    this.pump();
    this.changed();
    return { run, created, ended };
  }

  /** Every run not ended yet: those training (oldest first), then those waiting (in the order they will start). */
  runs(): readonly TrainingRun[] {
    return [...this.active(), ...this.queued()];
  }

  queued(): TrainingRun[] {
    return this.entries.filter((entry) => entry.run.phase === 'queued').map((entry) => entry.run);
  }

  /** Runs whose trainer has started. */
  active(): TrainingRun[] {
    return this.entries.filter((entry) => entry.run.phase !== 'queued').map((entry) => entry.run);
  }

  /** The run this queue trains (or will resume) as `runId`. */
  find(runId: string): TrainingRun | undefined {
    return this.entries.find((entry) => entry.run.runId === runId)?.run;
  }

  /** Takes a waiting run out of the queue, or asks a training one to stop. False when the queue does not have it. */
  async stop(ticket: number): Promise<boolean> {
    const index = this.entries.findIndex((entry) => entry.run.ticket === ticket);
    if (index < 0) return false;
    const entry = this.entries[index];
    if (!entry.execution) {
      this.entries.splice(index, 1);
      this.end(entry, { status: 'cancelled', killed: false, ...(entry.run.runId !== undefined ? { runId: entry.run.runId } : {}) });
      return true;
    }
    await entry.execution.stop();
    return true;
  }

  /** Starts waiting runs while there are free slots, and those that need none (call after the concurrency setting changes). */
  pump(): void {
    const limit = Math.max(1, Math.floor(this.options.concurrency()));
    for (const entry of this.entries.filter((e) => e.run.phase === 'queued')) {
      if (this.disposed) break;
      if (!usesLocalSlot(entry) || this.entries.filter((e) => e.run.phase !== 'queued' && usesLocalSlot(e)).length < limit) this.launch(entry);
    }
    this.checkIdle();
  }

  /** Resolves once nothing is waiting or training. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  isIdle(): boolean {
    return this.entries.length === 0;
  }

  /** Calls `listener` when a run is queued, starts, gets its folder, makes progress or ends. Returns the unsubscribe. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The extension host is going away: waiting runs are dropped, training ones are let go to end as interrupted on their own. */
  dispose(): void {
    this.disposed = true;
    for (const entry of this.entries.splice(0)) {
      if (entry.execution) entry.execution.detach();
      else entry.settle({ status: 'cancelled', killed: false });
    }
    this.listeners.clear();
  }

  private launch(entry: Entry): void {
    const { run } = entry;
    const observer = this.options.observer;
    run.phase = 'starting';
    run.timings.trainerStartedAt = Date.now();
    try {
      entry.execution = entry.executor.launch(run.request, {
        created: (runId, name) => {
          run.runId = runId;
          run.name = name;
          run.phase = 'training';
          run.timings.runCreatedAt = Date.now();
          entry.resolveCreated(runId);
          observer?.created?.(run);
          this.changed();
        },
        event: (event) => {
          run.progress = nextProgress(run.progress, event, run.runId ?? '');
          if (event.type === 'runStart') run.timings.trainingStartedAt = Date.now();
          if (event.type === 'epochEnd') run.timings.firstEpochAt ??= Date.now();
          observer?.event?.(run, event);
          // Batches are frequent: listeners hear of them at a bounded rate.
          const now = Date.now();
          if (event.type === 'batchEnd' && now - entry.lastNotice < PROGRESS_INTERVAL_MS) return;
          entry.lastNotice = now;
          this.changed();
        },
        output: (line, level) => observer?.output?.(run, line, level),
        state: (text) => {
          if (text === run.stateText) return;
          if (text === undefined) delete run.stateText;
          else run.stateText = text;
          this.changed();
        },
      });
    } catch (error) {
      this.entries.splice(this.entries.indexOf(entry), 1);
      this.end(entry, { status: 'failed', killed: false, error: errorMessage(error) });
      return;
    }
    run.pid = entry.execution.pid;
    observer?.launched?.(run);
    void entry.execution.ended.then((end) => {
      const index = this.entries.indexOf(entry);
      if (index >= 0) this.entries.splice(index, 1);
      this.end(entry, end);
      this.pump();
    });
  }

  private end(entry: Entry, end: RunEnd): void {
    // A resume that ends before its trainer reopened the run (the dataset changed, the run is taken) did not start.
    const reopened = entry.run.phase === 'training';
    const runId = reopened ? entry.run.runId : entry.run.request.resumeRunId === undefined ? end.runId : undefined;
    if (runId === undefined) {
      const what = entry.run.request.resumeRunId === undefined ? 'before its folder was created' : 'before training resumed';
      entry.rejectCreated(new Error(end.error ?? `The run ended (${end.status}) ${what}.`));
    }
    else entry.resolveCreated(runId);
    entry.settle(end);
    // After dispose the window is going away: nobody is left to tell.
    if (this.disposed) return;
    this.options.observer?.ended?.(entry.run, end);
    this.changed();
    this.checkIdle();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
