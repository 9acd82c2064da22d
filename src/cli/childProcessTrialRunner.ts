// Runs sweep trials side by side, each in a child process of this CLI (`sweep --trial-child`), because two
// trainings cannot share one TensorFlow.js engine. Parent and child talk over the fork IPC channel:
// run -> runCreated, epochEnd..., outcome; cancel stops the child's training after the current batch.
import { fork, type ChildProcess } from 'node:child_process';
import type { BackendPreference } from '../core/backend/selectBackend';
import { InProcessTrialRunner } from '../core/sweeps/inProcessTrialRunner';
import type { TrialOutcome, TrialRequest, TrialRunner } from '../core/sweeps/trialRunner';
import type { EpochEndEvent } from '../core/train/trainingEvents';
import type { RunSpec } from '../core/runSpec';

/** The hidden argument that makes `classifier-lab sweep` serve one trial for a parent. */
export const TRIAL_CHILD_FLAG = '--trial-child';

type ToChild =
  | { type: 'run'; trial: number; spec: RunSpec; name: string; runsDir: string; resumeRunId?: string; sweepId: string; backend: BackendPreference; threads: number }
  | { type: 'cancel' };

type FromChild =
  | { type: 'runCreated'; runId: string }
  | { type: 'epochEnd'; event: Omit<EpochEndEvent, 'confusion' | 'perClass'> }
  | { type: 'outcome'; outcome: TrialOutcome };

const OUTCOME_STATUSES = ['completed', 'failed', 'cancelled'];

function parseFromChild(value: unknown): FromChild | undefined {
  const message = value as Partial<FromChild> | null;
  if (typeof message !== 'object' || message === null) return undefined;
  if (message.type === 'runCreated' && typeof message.runId === 'string') return message as FromChild;
  if (message.type === 'epochEnd' && typeof message.event === 'object' && message.event !== null) return message as FromChild;
  if (message.type === 'outcome' && typeof message.outcome === 'object' && message.outcome !== null &&
    OUTCOME_STATUSES.includes(message.outcome.status)) return message as FromChild;
  return undefined;
}

export interface ChildProcessTrialRunnerOptions {
  /** Trials at once (one child process each). */
  parallel: number;
  backend: BackendPreference;
  /** Threads each child trains with. */
  threads: number;
  onEpochEnd?(trial: number, event: Omit<EpochEndEvent, 'confusion' | 'perClass'>): void;
  /** The script to fork (this CLI's entry) and the Node flags to fork it with. */
  script?: string;
  execArgv?: string[];
}

export class ChildProcessTrialRunner implements TrialRunner {
  readonly capacity: number;

  constructor(private readonly options: ChildProcessTrialRunnerOptions) {
    this.capacity = options.parallel;
  }

  run(request: TrialRequest): Promise<TrialOutcome> {
    const script = this.options.script ?? require.main?.filename ?? process.argv[1];
    const child: ChildProcess = fork(script, ['sweep', TRIAL_CHILD_FLAG], {
      execArgv: this.options.execArgv ?? process.execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise<TrialOutcome>((resolve) => {
      let runId: string | undefined;
      let outcome: TrialOutcome | undefined;
      const onAbort = () => {
        if (child.connected) child.send({ type: 'cancel' } satisfies ToChild);
      };
      request.signal.addEventListener('abort', onAbort);
      child.on('message', (raw) => {
        const message = parseFromChild(raw);
        if (!message) return;
        if (message.type === 'runCreated') {
          runId = message.runId;
          request.onRunCreated(message.runId);
        } else if (message.type === 'epochEnd') {
          this.options.onEpochEnd?.(request.trial, message.event);
        } else {
          outcome = message.outcome;
        }
      });
      child.once('exit', (code, signal) => {
        request.signal.removeEventListener('abort', onAbort);
        resolve(outcome ?? {
          runId, status: 'failed',
          error: `The trial's process ended without a result (${signal ? `signal ${signal}` : `exit code ${code}`}).`,
        });
      });
      child.once('spawn', () => {
        child.send({
          type: 'run', trial: request.trial, spec: request.spec, name: request.name, runsDir: request.runsDir,
          resumeRunId: request.resumeRunId, sweepId: request.sweepId, backend: this.options.backend, threads: this.options.threads,
        } satisfies ToChild);
        if (request.signal.aborted) onAbort();
      });
    });
  }
}

/**
 * The child's side: trains the one trial the parent sends, in this process, and reports back. Ctrl+C
 * reaches every process of the terminal's group; the child leaves it to the parent, which sends cancel.
 * A parent that dies (the IPC channel closes) cancels the trial too.
 */
export async function serveTrialChild(): Promise<number> {
  if (!process.send) throw new Error(`${TRIAL_CHILD_FLAG} is for the sweep's own child processes.`);
  process.on('SIGINT', () => undefined);
  const controller = new AbortController();
  const request = await new Promise<Extract<ToChild, { type: 'run' }>>((resolve) => {
    process.on('message', (message: ToChild) => {
      if (message?.type === 'run') resolve(message);
      else if (message?.type === 'cancel') controller.abort();
    });
  });
  process.on('disconnect', () => controller.abort());
  const send = (message: FromChild) => {
    if (process.connected) process.send!(message);
  };
  const runner = new InProcessTrialRunner({
    backend: request.backend, threads: request.threads,
    onEvent: (event) => {
      if (event.type !== 'epochEnd') return;
      const { confusion: _confusion, perClass: _perClass, ...small } = event;
      send({ type: 'epochEnd', event: small });
    },
  });
  const outcome = await runner.run({
    sweepId: request.sweepId, trial: request.trial, spec: request.spec, name: request.name, runsDir: request.runsDir,
    resumeRunId: request.resumeRunId, signal: controller.signal,
    onRunCreated: (runId) => send({ type: 'runCreated', runId }),
  });
  // The last message must be delivered before the channel closes.
  if (process.connected) await new Promise<void>((done) => process.send!({ type: 'outcome', outcome } satisfies FromChild, () => done()));
  if (process.connected) process.disconnect();
  return 0;
}
