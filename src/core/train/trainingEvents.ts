// The events a training run emits, as plain data: the trainer process forwards them, the run store appends them.
import type { ResolvedDatasetFormat } from '../runSpec';

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true examples of this class. */
  support: number;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface RunStartEvent {
  type: 'runStart';
  time: string;
  backend: string;
  format: ResolvedDatasetFormat;
  classes: string[];
  imageShape: [number, number, number];
  trainCount: number;
  valCount: number;
  testCount: number;
  parameterCount: number;
  /** Threads that share each training step (absent in runs recorded before threads were recorded). */
  threads?: number;
  epochs: number;
  batchesPerEpoch: number;
  /** Epoch training starts at (above 1 when resuming). */
  startEpoch: number;
}

export interface BatchEndEvent {
  type: 'batchEnd';
  epoch: number;
  /** 1-based batch number within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  acc: number;
  learningRate: number;
  imagesPerSecond: number;
}

export interface EpochEndEvent {
  type: 'epochEnd';
  time: string;
  epoch: number;
  /** Training loss and accuracy, averaged over the epoch's batches. */
  loss: number;
  acc: number;
  /** Validation loss and accuracy; absent when the run has no validation split (`valSplit` 0). */
  valLoss?: number;
  valAcc?: number;
  learningRate: number;
  imagesPerSecond: number;
  durationMs: number;
  /** Validation confusion matrix: rows = true class, columns = predicted class. */
  confusion: number[][];
  perClass: ClassMetrics[];
  /**
   * True when this epoch has the best validation accuracy so far (its model was saved); without a
   * validation split, the best training accuracy.
   */
  isBest: boolean;
  /** The training process's CPU time over the epoch's wall time, percent of all cores (absent in older runs). */
  cpuPercent?: number;
  /** The training process's resident memory at the epoch's end, and the most it has used so far, in bytes. */
  rssBytes?: number;
  peakRssBytes?: number;
}

export interface TestEndEvent {
  type: 'testEnd';
  /** Epoch of the checkpoint that was evaluated. */
  epoch: number;
  loss: number;
  acc: number;
  confusion: number[][];
  perClass: ClassMetrics[];
}

export interface LogEvent {
  type: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Exactly one of `valAcc` and `trainAcc` is set: the accuracy the best epoch was chosen by. */
export interface BestEpochSummary {
  epoch: number;
  valAcc?: number;
  trainAcc?: number;
}

export interface RunEndEvent {
  type: 'runEnd';
  time: string;
  status: Extract<RunStatus, 'completed' | 'failed' | 'cancelled'>;
  /** The best epoch: `valAcc` for a run with a validation split, `trainAcc` (training accuracy) for one without. */
  best: BestEpochSummary | null;
  testAcc?: number;
  error?: string;
}

export type TrainingEvent = RunStartEvent | BatchEndEvent | EpochEndEvent | TestEndEvent | LogEvent | RunEndEvent;
