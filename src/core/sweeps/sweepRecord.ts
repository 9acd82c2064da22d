// The shape of sweep.json: the sweep's spec, where its runs go, and the state of every trial.
import type { Rung } from './halvingRungs';
import type { SweepSpec, TrialParams } from './sweepSpec';

/** The sweep.json layout this code writes. */
export const SWEEP_SCHEMA_VERSION = 1;

/**
 * queued: created, not started; running: a process is working on it (read as interrupted once that
 * process is gone); completed: the method or the budget ended it; cancelled: the user stopped it
 * (resumable); failed: it could not go on (resumable once the cause is fixed).
 */
export type SweepStatus = 'queued' | 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

/**
 * pending: planned, not started; running: its run is training; completed / failed: finished, never run
 * again; cancelled: stopped (by the user, or by the end of the budget: `stoppedBy`); a resumed sweep
 * continues a user-cancelled trial.
 */
export type TrialStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface TrialRecord {
  /** 1-based, in the order trials were planned. */
  trial: number;
  params: TrialParams;
  /** Epochs the trial's run trains. */
  epochs: number;
  /** halving: the 0-based rung. */
  rung?: number;
  /** halving: the trial of the previous rung whose configuration this one trains longer. */
  promotedFrom?: number;
  status: TrialStatus;
  /** The trial's run folder name in the sweep's runs folder, once the run exists. */
  runId?: string;
  /** Best validation accuracy of the run. */
  valAcc?: number;
  /** Lowest validation loss of the run. */
  valLoss?: number;
  /** The sweep's metric for this trial (valAcc or valLoss). */
  value?: number;
  /** Epochs the run finished. */
  lastEpoch?: number;
  startedAt?: string;
  endedAt?: string;
  stoppedBy?: 'user' | 'budget';
  error?: string;
}

/** How much one parameter mattered to the metric (see parameterImportance.ts). */
export interface ParameterImportance {
  param: string;
  /** Share of the explained variation, in [0, 1]; the parameters' shares sum to 1 (or are all 0). */
  importance: number;
  /** Spearman rank correlation of the parameter's value with the metric, in [-1, 1]; absent for names. */
  correlation?: number;
}

export interface SweepBest {
  trial: number;
  runId: string;
  params: TrialParams;
  value: number;
  valAcc?: number;
}

export interface SweepRecord {
  schemaVersion: number;
  /** The sweep folder's name, e.g. `20261127-071502-sweep-3f9a`. */
  id: string;
  name: string;
  status: SweepStatus;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  /** The checked spec; `base.data` is absolute. */
  spec: SweepSpec;
  /** The runs folder trials train in, relative to the sweep folder (absolute when on another drive). */
  runsDir: string;
  /** halving: the rungs planned. */
  rungs?: Rung[];
  /** Wall-clock time the sweep has spent running, summed over resumed segments; the budget counts this. */
  elapsedMs: number;
  /** The process working on the sweep while it runs. */
  process?: { pid: number; hostname: string };
  trials: TrialRecord[];
  best?: SweepBest;
  /** By parameter, most important first; computed when the sweep ends (and after each trial). */
  importance?: ParameterImportance[];
  /** Why the sweep ended: every planned trial ran, the budget ran out, or the user cancelled it. */
  stopReason?: 'done' | 'budget' | 'cancelled';
  error?: string;
}
