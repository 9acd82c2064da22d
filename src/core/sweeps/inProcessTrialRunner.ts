// Trains a sweep's trials one at a time in this process, through the same runTraining the CLI's train uses.
// One at a time because TensorFlow.js keeps global state (the engine, its scopes, the seeded Math.random)
// that two runs in one process would share.
import type { BackendPreference } from '../backend/selectBackend';
import { RunStore } from '../runs/runStore';
import { runTraining } from '../runTraining';
import type { ThreadsRequest } from '../train/trainingThreads';
import type { TrainingEvent } from '../train/trainingEvents';
import { canContinueTrialRun, type TrialOutcome, type TrialRequest, type TrialRunner } from './trialRunner';

export interface InProcessTrialRunnerOptions {
  backend?: BackendPreference;
  threads?: ThreadsRequest;
  /** Every training event of every trial, e.g. for a progress display. */
  onEvent?(event: TrainingEvent, trial: number): void;
}

export class InProcessTrialRunner implements TrialRunner {
  readonly capacity = 1;

  constructor(private readonly options: InProcessTrialRunnerOptions = {}) {}

  async run(request: TrialRequest): Promise<TrialOutcome> {
    let runId: string | undefined;
    try {
      const resumeRunId = request.resumeRunId && await canContinueTrialRun(new RunStore(request.runsDir), request.resumeRunId) ? request.resumeRunId : undefined;
      const outcome = await runTraining({
        spec: request.spec,
        runsDir: request.runsDir,
        name: request.name,
        resumeRunId,
        backend: this.options.backend,
        threads: this.options.threads,
        signal: request.signal,
        onRunCreated: (id) => {
          runId = id;
          request.onRunCreated(id);
        },
        onEvent: (event) => this.options.onEvent?.(event, request.trial),
      });
      return {
        runId: outcome.runId,
        status: outcome.status === 'interrupted' ? 'cancelled' : outcome.status,
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      };
    } catch (error) {
      return { runId, status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
  }
}
