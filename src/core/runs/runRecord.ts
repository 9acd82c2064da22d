// The shape of run.json: what a run is, how it was asked for, where it stands, and its headline numbers.
import type { ModelKind, ResolvedDatasetFormat, RunSpec } from '../runSpec';
import type { RunStatus } from '../train/trainingEvents';

/** The run.json layout this code writes. Readers accept newer versions and keep the fields they know. */
export const RUN_SCHEMA_VERSION = 1;

/** Per-class example counts of each split, indexed like `classes`. */
export interface ClassCounts {
  train: number[];
  val: number[];
  test: number[];
}

export interface RunDatasetInfo {
  format: ResolvedDatasetFormat;
  /** Absolute path of the dataset root. */
  root: string;
  classes: string[];
  /** [height, width, channels] of the images fed to the model. */
  imageShape: [number, number, number];
  trainCount: number;
  valCount: number;
  testCount: number;
  /** Known when the trainer passed it to `RunWriter.start` (the runStart event does not carry it). */
  classCounts?: ClassCounts;
  /** Files the reader skipped as unreadable images. */
  skipped?: number;
  /** True when pixels were decoded from disk per batch instead of held in memory. */
  streamed?: boolean;
}

export interface RunModelInfo {
  kind: ModelKind;
  parameterCount: number;
}

export interface RunSummary {
  /** Epochs asked for; training may stop earlier (early stopping, cancel). */
  epochs: number;
  /** The best epoch: by validation accuracy, or by training accuracy when the run has no validation split. */
  bestEpoch?: number;
  /** Validation accuracy and loss of the best epoch; only for runs with a validation split. */
  bestValAcc?: number;
  bestValLoss?: number;
  /** Training accuracy and loss of the best epoch; only for runs without a validation split (`valSplit` 0). */
  bestTrainAcc?: number;
  bestTrainLoss?: number;
  /** Last epoch that finished (and was checkpointed). */
  lastEpoch?: number;
  /** Accuracy of the best model on the dataset's test split. */
  testAcc?: number;
  /** Training throughput of the last finished epoch, in images per second. */
  imagesPerSecond?: number;
  /** Wall-clock time spent training, in milliseconds, summed over resumed segments. */
  durationMs?: number;
  /** The most memory (resident set size, bytes) the training process used, over every segment. */
  peakRssBytes?: number;
}

/** The process that owns a queued or running run, to tell a live run from one whose trainer died. */
export interface RunProcessInfo {
  pid: number;
  hostname: string;
  /**
   * Random token of the writer that claimed the run, so a second writer in the same process (same pid)
   * is refused too. Absent in runs written before claims existed.
   */
  claim?: string;
}

/** The Slurm job that trains a run submitted to a cluster (see core/cluster); written by the submitter alone. */
export interface RunSlurmJob {
  jobId: string;
  /** ISO 8601 time of the submission. */
  submittedAt: string;
  /** File name of the job script in the run folder: what the job ran, and can be run again with sbatch. */
  script: string;
  /**
   * Slurm's final state of the job (e.g. COMPLETED, TIMEOUT, NODE_FAIL), recorded once the job has ended
   * and the run's status was settled from it; absent while the job is queued or running.
   */
  state?: string;
  /** Jobs that trained the run before this one (it was resumed), oldest first. */
  previousJobIds?: string[];
}

/** The run another run's weights came from (fine-tuning), for the dashboard to link. */
export interface RunInitSource {
  runId: string;
  /** Absolute path of that run's folder. */
  runDir: string;
  name: string;
  /** That run's best validation accuracy when this one started. */
  bestValAcc?: number;
  /** True when the classes differed and the classifier head started fresh. */
  headReplaced: boolean;
}

export interface RunRecord {
  schemaVersion: number;
  /** The run folder's name; sortable by creation time (UTC), e.g. `20261127-071502-cnn-3f9a`. */
  id: string;
  /** Display name chosen by the user (or a default like `cnn-mnist-3`). */
  name: string;
  status: RunStatus;
  /** ISO 8601 times. */
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** Heartbeat: the owning process rewrites it periodically while the run is alive. */
  updatedAt: string;
  spec: RunSpec;
  dataset?: RunDatasetInfo;
  model?: RunModelInfo;
  /** tfjs backend that trained the run, e.g. `wasm` or `tensorflow`. */
  backend?: string;
  /** Why the native backend was not used when `auto` fell back from it (e.g. it is not installed), from the last (re)start. */
  backendFallbackReason?: string;
  /** Threads that shared each training step (data-parallel replicas); absent in runs from before threads. */
  threads?: number;
  summary: RunSummary;
  /** Why the run failed, in words a user can act on. */
  error?: string;
  process?: RunProcessInfo;
  /** Present when the run was submitted to a Slurm cluster. */
  slurm?: RunSlurmJob;
  /** Epoch of the checkpoint this run was last resumed from. */
  resumedFrom?: number;
  /** The run whose weights this run started from (`--init-from`). */
  initFrom?: RunInitSource;
  notes?: string;
  tags?: string[];
}

/** True when a newer Classifier Lab wrote this record: it reads fine, but some fields may be missing from view. */
export function isNewerSchema(record: Pick<RunRecord, 'schemaVersion'>): boolean {
  return record.schemaVersion > RUN_SCHEMA_VERSION;
}
