// One run this window was asked to train, from the queue to its end: the one state every view of
// training reads (the Experiments view, the status bar, the progress notification, the API).
import { datasetLabel } from '../../core/runs/defaultRunName';
import type { RunRequest } from '../../processes/runExecutor';
import type { RunProgress } from './runProgress';

export type { RunEnd, RunRequest } from '../../processes/runExecutor';

/** `queued`: waits for a free slot. `starting`: its trainer runs but has not created the run folder yet (loading the dataset). `training`: the folder exists. */
export type RunPhase = 'queued' | 'starting' | 'training';

/** Milliseconds since the epoch at each stage of a run. */
export interface RunTimings {
  requestedAt: number;
  trainerStartedAt?: number;
  runCreatedAt?: number;
  trainingStartedAt?: number;
  firstEpochAt?: number;
}

export interface TrainingRun {
  /** Its place in the queue; stable for the run's life in this window. */
  readonly ticket: number;
  readonly request: RunRequest;
  readonly queuedAt: Date;
  readonly phase: RunPhase;
  /** The run's id once its folder exists (from the start when resuming). */
  readonly runId?: string;
  /** The name asked for (or the likely default) until the folder exists, then the run's own. */
  readonly name: string;
  /** Where training stands, folded from its events. */
  readonly progress?: RunProgress;
  /** The local process training it. */
  readonly pid?: number;
  /** Where it stands while its events say nothing, e.g. `queued on Slurm: Resources`. */
  readonly stateText?: string;
  readonly timings: RunTimings;
}

/** The name a run will probably get before its folder says: the one asked for, else `<model>-<dataset>`. */
export function provisionalName(request: RunRequest): string {
  return request.name ?? `${request.spec.model.kind}-${datasetLabel(request.spec.data.path)}`;
}
