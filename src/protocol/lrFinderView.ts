// Messages between a "Find Learning Rate" tab and its webview: one union per direction, and the state the
// page keeps for the tab across a window reload. The webview says `ready`, the panel answers with a
// snapshot, then streams each step's point and how the test ended.
import type { RunSpec } from '../core/runSpec';
import type { LearningRateResult, RangeTestPoint, RangeTestRequest } from './lrFinder';
import type { ExportMessage, ReadyMessage } from './viewCommon';

export type { LearningRateResult, RangeTestPoint } from './lrFinder';

/** The settings the test ran with, in the user's words (what a run started from it will use). */
export interface LrFinderSetup {
  dataset: string;
  model: string;
  /** e.g. "adam · batch 64 · cross-entropy · flip, crop". */
  training: string;
}

/** What a search is made with: "Start Run with This Rate" uses the spec with the chosen rate, "Run the Search Again" both. */
export interface LrFinderSearch {
  spec: RunSpec;
  rangeTest?: RangeTestRequest;
}

/** The rates the test sweeps: from minRate to maxRate, exponentially, over at most `steps` steps. */
export interface RangeBounds {
  minRate: number;
  maxRate: number;
  steps: number;
}

/** `interrupted`: the window reloaded while the test ran, which ended its process. */
export type LrFinderStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';

/**
 * What the tab shows and keeps across a window reload: the page saves it (vscode.setState) and the panel
 * serializer gets it back, to parse as untrusted input.
 */
export interface LrFinderTabState {
  search: LrFinderSearch;
  status: LrFinderStatus;
  /** Known once the test process has started. */
  bounds?: RangeBounds;
  points: RangeTestPoint[];
  result?: LearningRateResult;
  error?: string;
  warnings: string[];
  /** Set once a run was started from this tab: its name. */
  startedRun?: string;
  /** The rate the user picked on the chart or typed; absent: the suggestion (once there is one). */
  chosenRate?: number;
}

export interface LrFinderSnapshot extends LrFinderTabState {
  setup: LrFinderSetup;
}

/** Panel -> webview. */
export type ToLrFinderView =
  | { type: 'snapshot'; snapshot: LrFinderSnapshot }
  | { type: 'started'; bounds: RangeBounds }
  | { type: 'points'; points: RangeTestPoint[] }
  | { type: 'warning'; message: string }
  | { type: 'ended'; status: Exclude<LrFinderStatus, 'running' | 'interrupted'>; result?: LearningRateResult; error?: string }
  | { type: 'runStarted'; name: string }
  /** The tab's saved state could not be read after a window reload: why (nothing else is shown). */
  | { type: 'notRestored'; reason: string };

/** Webview -> panel. Untrusted, validated before use. */
export type FromLrFinderView =
  | ReadyMessage
  /** The curve as CSV or the chart as PNG. */
  | ExportMessage
  /** The rate for the run changed (picked on the chart or typed), so the tab shows it again when reopened. */
  | { type: 'chooseRate'; learningRate: number }
  /** Start a run with the test's settings and this learning rate. */
  | { type: 'startRun'; learningRate: number }
  /** Stop the test after its current step. */
  | { type: 'stop' }
  /** Run the test again with the same settings, in this tab (after a reload ended it, or after it failed). */
  | { type: 'searchAgain' }
  /** Find Learning Rate from the start (a tab whose saved state could not be read). */
  | { type: 'newSearch' };
