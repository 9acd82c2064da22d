// A sweep's trial runner over this window's run queue: each trial is an ordinary queued run, so trials
// wait for a free slot like any run (classifierLab.concurrentRuns) and train through the window's executor
// with its threads. No VS Code API here.
import type { TrialOutcome, TrialRequest, TrialRunner } from '../../core/sweeps/trialRunner';
import type { QueuedRun } from '../training/runQueue';
import type { RunRequest } from '../training/trainingRun';

/** The part of the training controller a sweep uses. */
export interface TrialQueue {
  /** Queues a run (throws when training is off, e.g. in Restricted Mode). */
  start(request: RunRequest): QueuedRun;
  /** Stops a training run or takes a waiting one out of the queue. */
  stop(target: { ticket: number }): Promise<boolean>;
}

export interface QueueTrialRunnerOptions {
  queue: TrialQueue;
  /** Trials at once: the concurrent-runs setting, read at each decision. */
  capacity(): number;
  /** True when the run finished an epoch it can continue from (else a stopped trial starts a new run). */
  canResume(runsDir: string, runId: string): Promise<boolean>;
  /** The trial's run is in the queue (its ticket identifies it until its folder exists). */
  onQueued?(ticket: number, request: TrialRequest): void;
  /** The trial's run ended. */
  onEnded?(ticket: number): void;
}

export class QueueTrialRunner implements TrialRunner {
  private released = false;

  constructor(private readonly options: QueueTrialRunnerOptions) {}

  get capacity(): number {
    return Math.max(1, Math.floor(this.options.capacity()));
  }

  /**
   * The window is going away: trials running now never report how they end, so the sweep stays as its
   * process left it (read as interrupted once the process is gone) and a resume continues them.
   */
  release(): void {
    this.released = true;
  }

  async run(request: TrialRequest): Promise<TrialOutcome> {
    const resumeRunId = request.resumeRunId !== undefined && await this.options.canResume(request.runsDir, request.resumeRunId).catch(() => false)
      ? request.resumeRunId : undefined;
    if (request.signal.aborted) return { status: 'cancelled', ...(request.resumeRunId !== undefined ? { runId: request.resumeRunId } : {}) };
    let queued: QueuedRun;
    try {
      queued = this.options.queue.start({
        spec: request.spec, runsDir: request.runsDir, name: request.name, ...(resumeRunId !== undefined ? { resumeRunId } : {}),
      });
    } catch (error) {
      return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    const ticket = queued.run.ticket;
    this.options.onQueued?.(ticket, request);
    const stop = () => void this.options.queue.stop({ ticket });
    request.signal.addEventListener('abort', stop, { once: true });
    void queued.created.then((runId) => request.onRunCreated(runId), () => undefined);
    const end = await queued.ended;
    request.signal.removeEventListener('abort', stop);
    this.options.onEnded?.(ticket);
    if (this.released) return new Promise<TrialOutcome>(() => undefined);
    const runId = end.runId ?? queued.run.runId;
    const status = end.status === 'completed' ? 'completed' : end.status === 'failed' ? 'failed' : 'cancelled';
    return { status, ...(runId !== undefined ? { runId } : {}), ...(end.error !== undefined ? { error: end.error } : {}) };
  }
}
