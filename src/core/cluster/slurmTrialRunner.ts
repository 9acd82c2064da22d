// Runs one run spec as a Slurm job and resolves when it has ended: the trial runner a sweep calls, once
// per trial, as many at once as it allows. Resolves with the same RunOutcome a local runTraining gives.
import type { BackendPreference } from '../backend/selectBackend';
import type { RunOutcome } from '../runTraining';
import type { RunSpec } from '../runSpec';
import type { RecordedEvent } from '../runs/recordedEvent';
import { RunStore } from '../runs/runStore';
import { followSlurmRun } from './followSlurmRun';
import { SlurmClient } from './slurmClient';
import type { SlurmJobState } from './slurmJobState';
import type { SlurmOptions } from './slurmOptions';
import { submitSlurmRun } from './submitSlurmRun';

/** One trial to train. */
export interface SlurmTrial {
  spec: RunSpec;
  name?: string;
  /** Aborting cancels the job (scancel); the promise then resolves with status `cancelled`. */
  signal?: AbortSignal;
  /** Called once the run folder exists and the job is queued. */
  onSubmitted?(run: { runId: string; runDir: string; jobId: string }): void;
  /** The run's recorded events (metrics.jsonl lines) as they appear. */
  onEvent?(event: RecordedEvent, runId: string): void;
  onJobState?(state: SlurmJobState, runId: string): void;
}

export type SlurmTrialOutcome = RunOutcome & { jobId: string };

export interface SlurmTrialRunnerConfig {
  /** Absolute path of the runs folder, on a file system the compute nodes share. */
  runsDir: string;
  options: SlurmOptions;
  backend?: BackendPreference;
  /** How the job starts our CLI: node, its flags, the CLI script (absolute paths). */
  cliCommand: readonly string[];
  client?: SlurmClient;
  pollMs?: number;
  statePollMs?: number;
}

/**
 * A function that submits one trial and resolves when its job has ended. Errors before the job exists
 * (sbatch missing or refusing, an unwritable runs folder) reject with a SlurmError and leave no run.
 */
export function slurmTrialRunner(config: SlurmTrialRunnerConfig): (trial: SlurmTrial) => Promise<SlurmTrialOutcome> {
  const client = config.client ?? new SlurmClient();
  const store = new RunStore(config.runsDir);
  return async (trial) => {
    trial.signal?.throwIfAborted();
    const submitted = await submitSlurmRun({
      store, client, run: { spec: trial.spec, name: trial.name }, options: config.options,
      backend: config.backend, cliCommand: config.cliCommand,
    });
    const { runId, runDir, jobId } = submitted;
    trial.onSubmitted?.({ runId, runDir, jobId });
    const cancel = () => void client.cancel(jobId).catch(() => undefined);
    if (trial.signal?.aborted) cancel();
    trial.signal?.addEventListener('abort', cancel, { once: true });
    try {
      const followed = await followSlurmRun({
        store, runId, client, metricsOffset: submitted.metricsOffset, pollMs: config.pollMs, statePollMs: config.statePollMs,
        onEvent: (event) => trial.onEvent?.(event, runId),
        onJobState: (state) => trial.onJobState?.(state, runId),
      });
      return { ...followed.outcome, jobId };
    } finally {
      trial.signal?.removeEventListener('abort', cancel);
    }
  };
}
