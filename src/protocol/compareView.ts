// Messages between a comparison panel and its webview: one union per direction. The webview says
// `ready`, the panel answers with every run's record and curves, and again whenever one of them changes.
import type { RunRecord } from '../core/runs/runRecord';
import type { EpochPoint, TestResult } from './dashboardView';
import type { ExportMessage, OpenRunMessage, ReadyMessage } from './viewCommon';

/** A run as the comparison shows it: its record and per-epoch curves. */
export interface CompareRun {
  run: RunRecord;
  epochs: EpochPoint[];
  test?: TestResult;
}

/** Panel -> webview. */
export type ToCompareView =
  /** The runs that could be read, and the ids of those that could not. */
  | { type: 'snapshot'; runs: CompareRun[]; missing: string[] };

/** Webview -> panel. Untrusted, validated before use. */
export type FromCompareView = ReadyMessage | ExportMessage | OpenRunMessage;
