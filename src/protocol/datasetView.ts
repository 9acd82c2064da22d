// Messages between a dataset tab ("Inspect Dataset") and its webview: one union per direction. The
// webview says `ready`, the panel answers with a snapshot (the inspection's state and, once done, its
// report), then progress while it inspects. Thumbnails of image files load from the dataset folder;
// examples inside binary files (CIFAR, IDX) are sent as pixels on request.
import type { EncodedDatasetReport, EncodedPixels, InspectProgress } from './inspect';
import type { OpenRunMessage, ReadyMessage } from './viewCommon';

export type {
  DuplicateFinding, DuplicateMethod, EncodedClassReport, EncodedDatasetReport, EncodedPixels, ExampleRole, Finding, FindingKind,
  Histogram, ImageRef, ImageStatistics, ImbalanceFinding, InspectProgress, MislabelledFinding, OddFinding, OddProblem,
  RunSummaryForReport, Split, UnreadableFinding,
} from './inspect';

/** How the tab shows one source (a file, or `file#index` inside a binary file) the report names. */
export interface SourceView {
  /** As the user reads it: relative to the dataset folder (`train/cat/a.png`, `data_batch_1.bin#17`). */
  name: string;
  /** A URI the page may load the image from (image files inside the dataset folder). */
  uri?: string;
  /** The page may ask to open it (a file or folder on disk). */
  openable: boolean;
  /** The page may offer "Move to Class…" (an image file of a folder dataset). */
  movable: boolean;
}

/** What a dataset tab keeps across window reloads (its page's state): what to inspect again. */
export interface DatasetTabState {
  root: string;
  runDir?: string;
}

export interface DatasetSnapshot {
  /** The dataset folder's name. */
  title: string;
  root: string;
  /** `inspecting` until the report arrives (the previous report, if any, stays shown meanwhile). */
  state: 'inspecting' | 'ready' | 'failed' | 'cancelled';
  progress?: InspectProgress;
  failure?: string;
  /** The run whose model ranks likely mislabelled images: its id (for a dashboard link) and name. */
  run?: { runId?: string; name: string };
  report?: EncodedDatasetReport;
  /** Every source the report names, by source. */
  sources: Record<string, SourceView>;
  /** Files changed in the dataset folder since the report was made. */
  stale: boolean;
  restore: DatasetTabState;
}

/** Panel -> webview. */
export type ToDatasetView =
  | { type: 'snapshot'; snapshot: DatasetSnapshot }
  | { type: 'progress'; progress: InspectProgress }
  /** Files changed in the dataset folder: the findings may be out of date. */
  | { type: 'stale' }
  /** Pixels of examples inside binary files, answering `requestPixels`. */
  | { type: 'pixels'; images: { source: string; pixels?: EncodedPixels; error?: string }[] };

/** Webview -> panel. Untrusted, validated before use: sources must be ones the report names. */
export type FromDatasetView =
  | ReadyMessage
  /** The dashboard of the run used. */
  | OpenRunMessage
  /** Inspect again (with the same run, if any). */
  | { type: 'refresh' }
  | { type: 'cancel' }
  /** Pick a run whose model ranks likely mislabelled images, and inspect again with it. */
  | { type: 'chooseRun' }
  /** Inspect again without a run. */
  | { type: 'clearRun' }
  /** Open a file in the editor (a folder is revealed in the Explorer). */
  | { type: 'open'; source: string }
  /** Ask for a class and move the file there (a workspace edit the user can undo). */
  | { type: 'moveToClass'; source: string }
  | { type: 'requestPixels'; sources: string[] };
