// Messages between the extension host and a trainer process (child_process IPC). Types only.
import type { RunSpec } from '../core/runSpec';
import type { TrainingEvent } from '../core/train/trainingEvents';

export type BackendChoice = 'auto' | 'native' | 'wasm';

/** Extension -> trainer. */
export type ToTrainer =
  | {
    type: 'start';
    runsDir: string;
    spec: RunSpec;
    name?: string;
    backend: BackendChoice;
    /** Threads that share each training step (already resolved from 'auto' by the extension). */
    threads?: number;
    /** Id of an existing run to continue from its last checkpoint instead of a new run. */
    resumeRunId?: string;
  }
  /** Finish the current batch, save, and end the run as cancelled. */
  | { type: 'stop' };

/** How a trainer's run ended. `interrupted`: its host went away (IPC disconnect); resumable. */
export type TrainerFinishStatus = 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** Trainer -> extension. */
export type FromTrainer =
  /** The run folder exists, with its final id and name; everything after this is also in its metrics.jsonl. */
  | { type: 'runCreated'; runId: string; runDir: string; name: string }
  | { type: 'event'; runId: string; event: TrainingEvent }
  /** The trainer is done and about to exit. runId is absent when the run could not be created. */
  | { type: 'finished'; runId?: string; status: TrainerFinishStatus; error?: string };
