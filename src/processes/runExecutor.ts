// How a run gets trained somewhere: the contract an executor fulfils. Local trainer processes
// (trainer/trainerHost.ts) are one executor; Slurm jobs (slurm/slurmExecutor.ts) another. The
// extension's training queue speaks only this.
import type { RunSpec } from '../core/runSpec';
import type { RecordedEvent } from '../core/runs/recordedEvent';
import type { TrainingEvent } from '../core/train/trainingEvents';
import type { TrainerFinishStatus } from '../protocol/trainer';

/** A run's event as an executor hands it on: the trainer's own, or a line of metrics.jsonl (no confusion matrices) when it follows files. */
export type ExecutionEvent = TrainingEvent | RecordedEvent;

/** What to train. */
export interface RunRequest {
  spec: RunSpec;
  /** The runs folder it is written to (fixed when it is asked for, whatever the settings do later). */
  runsDir: string;
  name?: string;
  /** Continue this run from its checkpoint instead of creating a new one. */
  resumeRunId?: string;
}

/** How training ended. */
export interface RunEnd {
  status: TrainerFinishStatus;
  /** Absent when training ended before the run folder was created. */
  runId?: string;
  error?: string;
  /** True when the executor ended training by force (a stop that timed out). */
  killed: boolean;
  /** True when the request was refused before anything trained (a cluster would not take the job); a resumed run is as it was. */
  notStarted?: boolean;
}

/** What an executor reports while it trains. */
export interface ExecutionListener {
  /** The run folder exists: the run's id and name are final. */
  created?(runId: string, name: string): void;
  event?(event: ExecutionEvent): void;
  /** A line for the log: the trainer's own output, or a problem with it. */
  output?(line: string, level: 'info' | 'warn'): void;
  /** Where the run stands while its events say nothing, in a few words (e.g. `queued on Slurm: Resources`); undefined once they do. */
  state?(text: string | undefined): void;
}

/** One run being trained. */
export interface RunExecution {
  /** The local process training it, if there is one. */
  readonly pid: number | undefined;
  /** Resolves once training has ended and the run folder says how. */
  readonly ended: Promise<RunEnd>;
  /** Asks training to finish its batch, save and end the run as cancelled; ends it by force when it does not in time. */
  stop(): Promise<RunEnd>;
  /** The window is going away: training carries on to the end of its batch and ends the run as interrupted (resumable). */
  detach(): void;
}

export interface RunExecutor {
  /**
   * False when the runs it trains take none of this machine's slots (`classifierLab.concurrentRuns`): a
   * cluster's scheduler queues them. Default true.
   */
  readonly usesLocalSlot?: boolean;
  launch(request: RunRequest, listener: ExecutionListener): RunExecution;
}
