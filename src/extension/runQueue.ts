// Runs waiting for a trainer, and the trainers training now: at most `concurrency()` at once, first come first served.
import type { RunSpec } from '../core/runSpec';
import type { TrainerExit } from './trainerProcessHost';

export interface RunRequest {
  spec: RunSpec;
  name?: string;
  /** Continue this run from its checkpoint instead of creating a new one. */
  resumeRunId?: string;
}

/** What the queue needs from a started trainer. */
export interface TrainerHandle {
  readonly exited: Promise<TrainerExit>;
  readonly runId: string | undefined;
  readonly pid: number | undefined;
  stop(): Promise<TrainerExit>;
  detach(): void;
}

export interface QueuedRun {
  readonly ticket: number;
  readonly request: RunRequest;
  readonly queuedAt: Date;
}

export interface ActiveRun extends QueuedRun {
  readonly trainer: TrainerHandle;
  readonly startedAt: Date;
}

export interface RunTicket {
  readonly ticket: number;
  /** Resolves with the trainer's outcome; a run removed from the queue before it started resolves as cancelled. */
  readonly finished: Promise<TrainerExit>;
}

export interface RunQueueOptions {
  /** Starts a trainer for a request whose turn has come. */
  launch(run: QueuedRun): TrainerHandle;
  /** How many trainers may run at once (read at every decision, so a settings change applies at once). */
  concurrency(): number;
}

interface Waiting extends QueuedRun {
  settle(exit: TrainerExit): void;
}

export class RunQueue {
  private readonly waiting: Waiting[] = [];
  private readonly running = new Map<number, ActiveRun>();
  private readonly listeners = new Set<() => void>();
  private readonly idleWaiters: (() => void)[] = [];
  private nextTicket = 1;
  private disposed = false;

  constructor(private readonly options: RunQueueOptions) {}

  /**
   * Adds a run to the end of the queue and starts it when a slot is free (maybe at once).
   * `onTicket` learns the ticket before that, so the caller can keep its own state for the launch.
   */
  enqueue(request: RunRequest, onTicket?: (ticket: number) => void): RunTicket {
    if (this.disposed) throw new Error('The run queue has been disposed.');
    let settle: (exit: TrainerExit) => void = () => undefined;
    const finished = new Promise<TrainerExit>((resolve) => { settle = resolve; });
    const ticket = this.nextTicket++;
    onTicket?.(ticket);
    this.waiting.push({ ticket, request, queuedAt: new Date(), settle });
    this.pump();
    this.changed();
    return { ticket, finished };
  }

  /** Runs waiting for a slot, in the order they will start. */
  queued(): QueuedRun[] {
    return this.waiting.map(({ ticket, request, queuedAt }) => ({ ticket, request, queuedAt }));
  }

  /** Runs training now, oldest first. */
  active(): ActiveRun[] {
    return [...this.running.values()];
  }

  /** The active run training `runId`, if this queue started it. */
  findActive(runId: string): ActiveRun | undefined {
    return this.active().find((run) => run.trainer.runId === runId);
  }

  /** Takes a waiting run out of the queue (it then finishes as cancelled). False when it is not waiting. */
  remove(ticket: number): boolean {
    const index = this.waiting.findIndex((run) => run.ticket === ticket);
    if (index < 0) return false;
    const [run] = this.waiting.splice(index, 1);
    run.settle({ status: 'cancelled', killed: false, ...(run.request.resumeRunId ? { runId: run.request.resumeRunId } : {}) });
    this.changed();
    this.checkIdle();
    return true;
  }

  /** Starts waiting runs while there are free slots (call after the concurrency setting changes). */
  pump(): void {
    const limit = Math.max(1, Math.floor(this.options.concurrency()));
    while (!this.disposed && this.running.size < limit && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      const { settle, ...queued } = next;
      let trainer: TrainerHandle;
      try {
        trainer = this.options.launch(queued);
      } catch (error) {
        settle({ status: 'failed', killed: false, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      const active: ActiveRun = { ...queued, trainer, startedAt: new Date() };
      this.running.set(queued.ticket, active);
      void trainer.exited.then((exit) => {
        this.running.delete(queued.ticket);
        settle(exit);
        this.pump();
        this.changed();
        this.checkIdle();
      });
    }
    this.checkIdle();
  }

  /** Resolves once nothing is waiting or training. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  isIdle(): boolean {
    return this.waiting.length === 0 && this.running.size === 0;
  }

  /** Calls `listener` whenever a run is queued, started, removed or finished. Returns the unsubscribe. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The extension host is going away: waiting runs are dropped, trainers are let go to end their runs
   * as interrupted on their own.
   */
  dispose(): void {
    this.disposed = true;
    for (const run of this.waiting.splice(0)) run.settle({ status: 'cancelled', killed: false });
    for (const run of this.running.values()) run.trainer.detach();
    this.listeners.clear();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
