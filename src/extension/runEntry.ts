// What one row of the Experiments view stands for: a run on disk (maybe training now) or a request still waiting in the queue.
import type { RunRecord } from '../core/runs/runRecord';
import type { RunRequest } from './runQueue';
import type { RunProgress } from './runProgress';

export interface RecordedRunEntry {
  kind: 'run';
  record: RunRecord;
  /** Live progress from this window's trainer. */
  progress?: RunProgress;
  /** True when a trainer of this window is training it. */
  trainedHere: boolean;
  /** Set when the run waits in this window's queue to be resumed. */
  resumeTicket?: number;
}

export interface QueuedRunEntry {
  kind: 'queued';
  ticket: number;
  request: RunRequest;
  queuedAt: Date;
  /** The name it will get (the one asked for, else the likely default). */
  name: string;
  /** Its trainer has started but has not created the run folder yet (it is loading the dataset). */
  starting: boolean;
}

export type RunEntry = RecordedRunEntry | QueuedRunEntry;

export type GroupBy = 'none' | 'dataset' | 'status';
export const GROUP_BY_OPTIONS: readonly GroupBy[] = ['none', 'dataset', 'status'];
