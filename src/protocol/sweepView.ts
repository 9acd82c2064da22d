// Messages between a sweep's tab and its webview: one union per direction, and the plain data they carry.
// The webview says `ready`, the panel answers with the sweep as it stands, and again whenever its
// sweep.json or one of its trials' runs changes.
import type { CompareRunsMessage, ExportMessage, OpenRunMessage, ReadyMessage } from './viewCommon';

export type { ExportFormat, ExportMessage } from './viewCommon';

/** A searched parameter as the charts place it: on a numeric axis (log when searched in log space), or as categories. */
export interface SweepParamView {
  /** As the spec names it: `learningRate`, `model.units`. */
  name: string;
  kind: 'number' | 'category';
  log: boolean;
  /** Categories in the order the space lists them (numbers: absent). */
  categories?: string[];
  /** Numbers: the ends of the range searched (or of the list). */
  min?: number;
  max?: number;
}

/** A parameter's value in a trial: a number on a numeric axis, else the category's text. */
export type SweepParamValue = number | string;

export interface SweepTrialView {
  trial: number;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  params: Record<string, SweepParamValue>;
  epochs: number;
  /** The sweep's metric for this trial. */
  value?: number;
  valAcc?: number;
  valLoss?: number;
  lastEpoch?: number;
  rung?: number;
  runId?: string;
  /** Its run's name now (it may have been renamed). */
  runName?: string;
  testAcc?: number;
  durationMs?: number;
  error?: string;
}

export interface SweepImportanceView {
  param: string;
  /** Share of the explained variation, 0-1 (all 0 when there are too few trials to tell). */
  importance: number;
  /** Spearman rank correlation with the metric, -1 to 1; absent for categories. */
  correlation?: number;
}

export interface SweepView {
  id: string;
  name: string;
  status: 'queued' | 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';
  method: 'grid' | 'random' | 'halving';
  metric: 'valAcc' | 'valLoss';
  seed: number;
  createdAt: string;
  elapsedMs: number;
  budgetMinutes?: number;
  /** Trials the method plans (absent when only time bounds it). */
  plannedTrials?: number;
  /** The space in words, as the Experiments view's tooltip says it. */
  spaceText: string;
  /** The base run's epochs (trials may train other numbers of epochs). */
  baseEpochs: number;
  /** This window runs the sweep (it can be stopped here). */
  runningHere: boolean;
  /** The sweep stopped before its method was done and can be resumed. */
  resumable: boolean;
  params: SweepParamView[];
  trials: SweepTrialView[];
  importance: SweepImportanceView[];
  /** Completed trials the importance was estimated from. */
  importanceTrials: number;
  best?: { trial: number; runId: string; value: number };
  error?: string;
}

/** Panel -> webview. */
export type ToSweepView =
  | { type: 'snapshot'; sweep: SweepView }
  /** The sweep folder is gone or cannot be read. */
  | { type: 'sweepError'; message: string };

/** Webview -> panel. Untrusted, validated before use. */
export type FromSweepView =
  | ReadyMessage
  | ExportMessage
  /** A trial's dashboard. */
  | OpenRunMessage
  /** Train the best trial's settings again with this many epochs. */
  | { type: 'rerunBest'; epochs: number }
  | { type: 'stopSweep' }
  | { type: 'resumeSweep' }
  /** Compare these trials' runs in the comparison tab. */
  | CompareRunsMessage;
