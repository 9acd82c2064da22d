// Messages between a run's dashboard panel and its webview: one union per direction, and the plain data
// they carry. The webview says `ready`, the panel answers with a snapshot, then streams small updates.
import type { LayerWeightStatistics, ModelGraph } from '../core/inspect/modelGraph';
import type { RunRecord } from '../core/runs/runRecord';
import type { ClassMetrics, EpochEndEvent } from '../core/train/trainingEvents';
import type { ExportMessage, OpenRunMessage, ReadyMessage } from './viewCommon';

// The plain-data types the webview reads inside these messages (it imports nothing else from src/).
export type { LayerKind, LayerNode, LayerEdge, LayerWeightStatistics, ModelGraph, TensorShape, WeightStatistics } from '../core/inspect/modelGraph';
export type { RunRecord, RunDatasetInfo, RunSummary } from '../core/runs/runRecord';
export type { ModelSpec, RunSpec } from '../core/runSpec';
export type { ClassMetrics, RunStatus } from '../core/train/trainingEvents';
export type { ExportFormat, ExportMessage } from './viewCommon';

/**
 * Per-batch training numbers as parallel arrays, one entry per point: a batch, or for a long run the
 * average of `batchesPerPoint` consecutive batches (the host keeps a few thousand points at most).
 * `step` is the global batch number of the point's last batch: (epoch - 1) * batchesPerEpoch + batch.
 */
export interface BatchSeries {
  step: number[];
  epoch: number[];
  loss: number[];
  acc: number[];
  learningRate: number[];
  imagesPerSecond: number[];
}

/**
 * One finished epoch (training numbers averaged over the epoch, validation numbers at its end): the
 * epochEnd event without its confusion matrix, which travels separately. `valLoss`/`valAcc` are absent
 * for a run without a validation split: it has training numbers only.
 */
export type EpochPoint = Omit<EpochEndEvent, 'type' | 'confusion'>;

/** What a (re)start of training said: the plan and the data it trains on. */
export interface TrainingStart {
  time: string;
  backend: string;
  batchesPerEpoch: number;
  /** Epoch training (re)started at; above 1 after a resume, and later points replace older ones. */
  startEpoch: number;
  epochs: number;
}

export interface TestResult {
  /** Epoch of the model evaluated (the best). */
  epoch: number;
  loss: number;
  acc: number;
  perClass: ClassMetrics[];
}

/** A confusion matrix of the validation split at an epoch, or of the test split. */
export interface ConfusionView {
  epoch: number;
  split: 'val' | 'test';
  classes: string[];
  /** [true class][predicted class] example counts. */
  matrix: number[][];
  perClass: ClassMetrics[];
}

/** One validation example's outcome; `index` is its position in predictions.json. */
export interface SampleItem {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  /** Short display name: the file name, or `file#index` for binary datasets. */
  name: string;
}

export interface PredictionsView {
  /** Epoch of the model that made them (the best so far). */
  epoch: number;
  classes: string[];
  items: SampleItem[];
}

/** An image for a sample: a webview URI for image files, or raw pixels for binary datasets. */
export type SampleImage =
  | { index: number; kind: 'uri'; uri: string }
  /** `pixels` is base64 of height x width x channels bytes (channels 1 or 3, row-major). */
  | { index: number; kind: 'pixels'; width: number; height: number; channels: number; pixels: string }
  | { index: number; kind: 'missing'; reason: string };

export type ModelGraphState =
  | { state: 'none' }
  | { state: 'ready'; graph: ModelGraph }
  | { state: 'error'; message: string };

/** One finding of the training doctor (src/core/doctor) as the dashboard's banner shows it. */
export interface DoctorFinding {
  /** The rule that found it, e.g. `lossDiverged`; the key of its fix. */
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  epoch?: number;
  /** The button's title when the doctor has a fix: `Rerun with learning rate 0.0001`. */
  fixTitle?: string;
}

/** Whether the page may show the run's dataset images; when not, why, and whether the user may choose to. */
export type SampleImagesAccess =
  | { shown: true }
  /** `folder`: the dataset folder the run names, when the user may choose to show its images (`canAllow`). */
  | { shown: false; reason: string; folder?: string; canAllow: boolean };

export interface RunSnapshot {
  run: RunRecord;
  start?: TrainingStart;
  batches: BatchSeries;
  /** Batches recorded (the points in `batches` may each average several). */
  batchCount: number;
  /** Batches averaged into each point of `batches`: 1 until the run has more batches than the host keeps points. */
  batchesPerPoint: number;
  epochs: EpochPoint[];
  test?: TestResult;
  /** Validation epochs that have a confusion matrix file. */
  confusionEpochs: number[];
  hasTestConfusion: boolean;
  /** The matrix shown first: the best epoch's, else the latest. */
  confusion?: ConfusionView;
  predictions?: PredictionsView;
  model: ModelGraphState;
  /** Lines of metrics.jsonl that could not be read (a newer version's events, damage). */
  skippedLines: number;
  /** Whether sample thumbnails can be shown. */
  sampleImages: SampleImagesAccess;
}

/** Panel -> webview. */
export type ToDashboardView =
  | { type: 'snapshot'; snapshot: RunSnapshot }
  | { type: 'trainingStart'; start: TrainingStart }
  /** New batch points to append, or (`replace`) all of them anew: points merged as the run grew, or a resume dropped some. */
  | { type: 'batchEnd'; batches: BatchSeries; batchCount: number; batchesPerPoint: number; replace?: boolean }
  | { type: 'epochEnd'; epoch: EpochPoint }
  | { type: 'testEnd'; test: TestResult }
  /** The epochs that now have a confusion matrix file (sent when a new one appears). */
  | { type: 'confusionEpochs'; epochs: number[]; hasTest: boolean }
  /** A confusion matrix, answering `requestConfusion` or pushed for a new best epoch; undefined when it has no file. */
  | { type: 'confusion'; epoch: number | 'test'; confusion?: ConfusionView }
  /** run.json changed: status, summary, notes... */
  | { type: 'status'; run: RunRecord }
  | { type: 'predictions'; predictions: PredictionsView | undefined }
  | { type: 'model'; model: ModelGraphState }
  | { type: 'weightStatistics'; layer: string; statistics?: LayerWeightStatistics; error?: string }
  | { type: 'sampleImages'; images: SampleImage[] }
  /** The run folder is gone or cannot be read. */
  | { type: 'runError'; message: string }
  /** How the Slurm job that trains the run stands, in words (`queued on Slurm: Resources`, `running on node7`); absent when no live job does. */
  | { type: 'jobState'; state?: string }
  /** The training doctor's findings on the run (sent after the snapshot and whenever they change). */
  | { type: 'diagnoses'; findings: DoctorFinding[] };

/** Webview -> panel. Everything here is untrusted and validated before use. */
export type FromDashboardView =
  | ReadyMessage
  | ExportMessage
  /** Open the dashboard of the run this one started from. */
  | OpenRunMessage
  | { type: 'requestConfusion'; epoch: number | 'test' }
  | { type: 'requestWeightStatistics'; layer: string }
  /** Images for the samples at these positions of predictions.json (at most 200 at a time). */
  | { type: 'requestSampleImages'; indices: number[] }
  /** Open a sample's image file in the editor. */
  | { type: 'openSample'; index: number }
  /** Show images from the dataset folder the run names, which is outside the workspace (asks the user first). */
  | { type: 'allowDatasetFolder' }
  | { type: 'setNotes'; notes: string; tags: string[] }
  /** Rerun with the fix the training doctor suggests for its finding of this rule. */
  | { type: 'applyFix'; rule: string };
