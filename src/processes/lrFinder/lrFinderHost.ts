// The extension host's side of one learning-rate finder process (dist/lrFinder.js): starts it with the
// spec, hands over each point as it arrives, stops it politely (then kills it), and turns a crash into a
// failure with the last lines of its stderr. TensorFlow.js runs only in the child.
import type { RunSpec } from '../../core/runSpec';
import type { FromLrFinder, LearningRateResult, RangeTestPoint, RangeTestRequest, ToLrFinder } from '../../protocol/lrFinder';
import type { BackendChoice } from '../../protocol/trainer';
import { ChildProcessHost } from '../childProcessHost';
import { parseFromLrFinder } from './lrFinderMessages';

/** How long a stopped finder gets to finish its step before it is killed. */
export const LR_FINDER_STOP_TIMEOUT_MS = 10_000;

export interface LrFinderHostOptions {
  /** The finder entry (dist/lrFinder.js). */
  script: string;
  backend?: BackendChoice;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  stopTimeoutMs?: number;
}

export interface LrFinderListener {
  started?(bounds: { minRate: number; maxRate: number; steps: number }): void;
  point?(point: RangeTestPoint): void;
  warning?(message: string): void;
  /** A line for the log: the process's own output, or a problem with it. */
  output?(line: string, level: 'info' | 'warn'): void;
}

export type LrFinderOutcome =
  | { status: 'finished'; result: LearningRateResult }
  | { status: 'failed'; error: string };

export class LrFinderHost {
  /** Resolves once the process has exited, with what it found or why it failed. */
  readonly outcome: Promise<LrFinderOutcome>;
  private readonly process: ChildProcessHost<ToLrFinder, FromLrFinder>;
  private ending?: LrFinderOutcome;
  private stopRequested = false;

  constructor(request: { spec: RunSpec; rangeTest?: RangeTestRequest }, listener: LrFinderListener, private readonly options: LrFinderHostOptions) {
    this.process = new ChildProcessHost({
      script: options.script, name: 'learning-rate finder', cwd: options.cwd, env: options.env, execArgv: options.execArgv,
      parse: parseFromLrFinder,
      onMessage: (message) => {
        switch (message.type) {
          case 'started': listener.started?.({ minRate: message.minRate, maxRate: message.maxRate, steps: message.steps }); return;
          case 'point': listener.point?.(message.point); return;
          case 'warning': listener.warning?.(message.message); return;
          case 'finished': this.ending = { status: 'finished', result: message.result }; return;
          case 'failed': this.ending = { status: 'failed', error: message.error }; return;
        }
      },
      onOutput: (line, stream) => listener.output?.(`[lr-find ${this.process.pid}] ${line}`, stream === 'stderr' ? 'warn' : 'info'),
      onProblem: (message) => listener.output?.(message, 'warn'),
    });
    this.outcome = this.process.exited.then((exit): LrFinderOutcome => {
      if (this.ending) return this.ending;
      if (this.stopRequested) {
        return { status: 'finished', result: { end: 'cancelled', suggestedRate: null, minimumRate: null, steps: 0, minRate: 0, maxRate: 0, trainCount: 0, backend: '' } };
      }
      return { status: 'failed', error: `The learning-rate finder ${exit.how} before it finished.${exit.stderrTail ? `\n${exit.stderrTail}` : ''}` };
    });
    void this.process.send({ type: 'start', spec: request.spec, backend: options.backend ?? 'auto', ...(request.rangeTest ? { rangeTest: request.rangeTest } : {}) });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** Asks the test to stop after its current step (it reports what it found so far); kills it when it does not in time. */
  stop(): Promise<LrFinderOutcome> {
    this.stopRequested ||= this.process.stop({ type: 'stop' }, this.options.stopTimeoutMs ?? LR_FINDER_STOP_TIMEOUT_MS);
    return this.outcome;
  }

  /** Ends the process at once (the window is going away). */
  kill(): void {
    this.stopRequested = true;
    this.process.kill();
  }
}
