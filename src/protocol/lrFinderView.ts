// Messages between a "Find Learning Rate" tab and its webview: one union per direction. The webview says
// `ready`, the panel answers with a snapshot, then streams each step's point and how the test ended.
import type { LearningRateResult, RangeTestPoint } from './lrFinder';
import type { ExportMessage, ReadyMessage } from './viewCommon';

export type { LearningRateResult, RangeTestPoint } from './lrFinder';

/** The settings the test ran with, in the user's words (what a run started from it will use). */
export interface LrFinderSetup {
  dataset: string;
  model: string;
  /** e.g. "adam · batch 64 · cross-entropy · flip, crop". */
  training: string;
}

/** The rates the test sweeps: from minRate to maxRate, exponentially, over at most `steps` steps. */
export interface RangeBounds {
  minRate: number;
  maxRate: number;
  steps: number;
}

export type LrFinderStatus = 'running' | 'finished' | 'failed' | 'cancelled';

export interface LrFinderSnapshot {
  setup: LrFinderSetup;
  status: LrFinderStatus;
  /** Known once the test process has started. */
  bounds?: RangeBounds;
  points: RangeTestPoint[];
  result?: LearningRateResult;
  error?: string;
  warnings: string[];
  /** Set once a run was started from this tab: its name. */
  startedRun?: string;
}

/** Panel -> webview. */
export type ToLrFinderView =
  | { type: 'snapshot'; snapshot: LrFinderSnapshot }
  | { type: 'started'; bounds: RangeBounds }
  | { type: 'points'; points: RangeTestPoint[] }
  | { type: 'warning'; message: string }
  | { type: 'ended'; status: Exclude<LrFinderStatus, 'running'>; result?: LearningRateResult; error?: string }
  | { type: 'runStarted'; name: string };

/** Webview -> panel. Untrusted, validated before use. */
export type FromLrFinderView =
  | ReadyMessage
  /** The curve as CSV or the chart as PNG. */
  | ExportMessage
  /** Start a run with the test's settings and this learning rate. */
  | { type: 'startRun'; learningRate: number }
  /** Stop the test after its current step. */
  | { type: 'stop' };
