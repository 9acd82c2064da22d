// What runs a sweep's trials: the CLI in this process or in child processes, the editor through its run
// queue, a cluster as jobs. The scheduler asks for trials and awaits them; they may finish in any order.
// Also the one rule every runner follows to continue a trial's earlier run.
import type { RunSpec } from '../runSpec';
import type { RunStore } from '../runs/runStore';

export interface TrialRequest {
  /** The sweep's id and the trial's number, to name and log the run. */
  sweepId: string;
  trial: number;
  /** The complete run spec of this trial: the sweep's base with the trial's parameters and epochs. */
  spec: RunSpec;
  /** Display name for the run, e.g. `lr search #3`. */
  name: string;
  /** Absolute runs folder the run must be created in. */
  runsDir: string;
  /**
   * The run this trial started before (stopped by a cancel or a crash): continue it from its checkpoint
   * when it has one, else start a new run.
   */
  resumeRunId?: string;
  /** Aborted to stop the trial (the user cancelled the sweep, or its time budget ran out). */
  signal: AbortSignal;
  /** Call as soon as the run folder exists, so the sweep links it even if this process dies. */
  onRunCreated(runId: string): void;
}

/**
 * How the trial ended. The scheduler reads the metrics from the run folder itself (run.json and
 * metrics.jsonl), so a runner only reports which run it was and how it ended.
 */
export interface TrialOutcome {
  /** The run folder's name in `runsDir`; absent when no run was created (e.g. the spec could not start). */
  runId?: string;
  status: 'completed' | 'failed' | 'cancelled';
  error?: string;
}

export interface TrialRunner {
  /** How many trials may run at once; the scheduler never starts more. */
  readonly capacity: number;
  /** Trains one trial. Should resolve, not reject, for a trial that fails (a rejection counts as failed). */
  run(request: TrialRequest): Promise<TrialOutcome>;
}

/**
 * True when run `runId` exists with a checkpoint short of its last epoch, so a trial can continue it
 * (`TrialRequest.resumeRunId`); false when it cannot, or cannot be read.
 */
export async function canContinueTrialRun(store: RunStore, runId: string): Promise<boolean> {
  try {
    const [record, state] = await Promise.all([store.read(runId), store.readCheckpointState(runId)]);
    return state !== undefined && state.epoch < record.spec.training.epochs;
  } catch {
    return false;
  }
}
