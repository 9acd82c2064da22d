// The extension host's side of one trainer process (dist/trainer.js), one per run: starts it with the
// run request, forwards its events, stops it politely (then kills it), and turns a crash into a failed
// run with the last lines of its stderr. The local executor of runs.
import type { BackendChoice, FromTrainer, ToTrainer } from '../../protocol/trainer';
import { errorMessage } from '../../core/errorMessage';
import { RunStore } from '../../core/runs/runStore';
import type { FinishedStatus } from '../../core/runs/runWriter';
import { ChildProcessHost, type ChildExit } from '../childProcessHost';
import type { ExecutionListener, RunEnd, RunExecution, RunExecutor, RunRequest } from '../runExecutor';
import { parseFromTrainer } from './trainerMessages';

/** How long a stopped trainer gets to finish its batch and save before it is killed. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export interface TrainerHostOptions {
  /** The trainer entry (dist/trainer.js). */
  trainerScript: string;
  backend?: BackendChoice;
  /** Threads each run's training steps share. Default: every core. */
  threads?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  stopTimeoutMs?: number;
}

/**
 * Ends a run whose trainer can no longer say how it ended (killed, crashed). A run that already ended
 * keeps its status (the trainer got there first).
 */
async function markRunEnded(runsDir: string, runId: string, status: FinishedStatus, error?: string): Promise<void> {
  const store = new RunStore(runsDir);
  const record = await store.read(runId);
  // A dead trainer's 'running' reads as 'interrupted'; a written interrupted/ended status has an end time.
  if (record.status !== 'running' && record.status !== 'queued' && (record.status !== 'interrupted' || record.endedAt !== undefined)) return;
  const writer = await store.openWriter(runId);
  try {
    await writer.finish(status, error);
  } finally {
    await writer.close();
  }
}

export class TrainerHost implements RunExecution {
  readonly ended: Promise<RunEnd>;
  private readonly process: ChildProcessHost<ToTrainer, FromTrainer>;
  private finished?: Extract<FromTrainer, { type: 'finished' }>;
  private runId?: string;
  private stopRequested = false;
  private detached = false;

  constructor(private readonly request: RunRequest, private readonly listener: ExecutionListener, private readonly options: TrainerHostOptions) {
    this.runId = request.resumeRunId;
    this.process = new ChildProcessHost({
      script: options.trainerScript, name: 'trainer', cwd: options.cwd, env: options.env, execArgv: options.execArgv,
      parse: parseFromTrainer,
      onMessage: (message) => this.receive(message),
      onOutput: (line, stream) => listener.output?.(`[trainer ${this.pid}] ${line}`, stream === 'stderr' ? 'warn' : 'info'),
      onProblem: (message) => listener.output?.(message, 'warn'),
    });
    this.ended = this.process.exited.then((exit) => this.settle(exit));
    void this.process.send({
      type: 'start', runsDir: request.runsDir, spec: request.spec, backend: options.backend ?? 'auto',
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.resumeRunId !== undefined ? { resumeRunId: request.resumeRunId } : {}),
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  stop(): Promise<RunEnd> {
    this.stopRequested ||= this.process.stop({ type: 'stop' }, this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    return this.ended;
  }

  detach(): void {
    this.detached = true;
    this.process.disconnect();
  }

  private receive(message: FromTrainer): void {
    switch (message.type) {
      case 'runCreated':
        this.runId = message.runId;
        this.listener.created?.(message.runId, message.name);
        return;
      case 'event':
        this.listener.event?.(message.event);
        return;
      case 'finished':
        this.finished = message;
        if (message.runId !== undefined) this.runId = message.runId;
        return;
    }
  }

  private async settle(exit: ChildExit): Promise<RunEnd> {
    const runId = this.runId;
    const killed = exit.killedByHost;
    if (this.finished && !killed) {
      return { status: this.finished.status, runId, killed, ...(this.finished.error !== undefined ? { error: this.finished.error } : {}) };
    }
    if (this.detached) return { status: 'interrupted', runId, killed };
    const status = this.stopRequested ? 'cancelled' : 'failed';
    const error = status === 'failed' ? `The trainer process ${exit.how} before the run finished.${exit.stderrTail ? `\n${exit.stderrTail}` : ''}` : undefined;
    if (runId !== undefined) {
      try {
        await markRunEnded(this.request.runsDir, runId, status, error);
      } catch (problem) {
        this.listener.output?.(`Could not record how run ${runId} ended: ${errorMessage(problem)}`, 'warn');
      }
    }
    return { status, runId, killed, ...(error !== undefined ? { error } : {}) };
  }
}

/** Trains each run in its own local trainer process; `options` is read at each launch (settings may change). */
export function localTrainerExecutor(options: () => TrainerHostOptions): RunExecutor {
  return { launch: (request, listener) => new TrainerHost(request, listener, options()) };
}
