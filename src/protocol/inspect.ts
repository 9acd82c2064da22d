// Messages between the extension host and the dataset process (child_process IPC): dataset inspections
// and augmentation previews, both run by the engine outside the extension host. Types only. Pixels travel
// base64-encoded (the IPC channel speaks JSON, where a Uint8Array would turn into an object of numbers).
import type { ClassReport, DatasetReport, InspectProgress, SampleImage } from '../core/datasetDoctor/datasetReport';
import type { AugmentSpec, DatasetFormat, ImageShape, RunSpec } from '../core/runSpec';
import type { BackendChoice } from './trainer';

export type { AugmentSpec, DatasetFormat, ImageShape, RunSpec } from '../core/runSpec';
export type {
  DuplicateFinding, DuplicateMethod, ExampleRole, Finding, FindingKind, Histogram, ImageRef, ImageStatistics, ImbalanceFinding,
  InspectProgress, MislabelledFinding, OddFinding, OddProblem, RunSummaryForReport, Split, UnreadableFinding,
} from '../core/datasetDoctor/datasetReport';

/** An image's pixels: base64 of height x width x channels bytes (channels 1 or 3, row-major, interleaved). */
export interface EncodedPixels {
  width: number;
  height: number;
  channels: number;
  pixels: string;
}

export type EncodedSample = Omit<SampleImage, 'pixels'> & { pixels: EncodedPixels };

export type EncodedClassReport = Omit<ClassReport, 'meanImage' | 'samples'> & { meanImage?: EncodedPixels; samples: EncodedSample[] };

/** A DatasetReport (src/core/datasetDoctor/datasetReport.ts) with its pixels encoded. */
export type EncodedDatasetReport = Omit<DatasetReport, 'classes'> & { classes: EncodedClassReport[] };

export interface InspectRequest {
  /** The dataset folder (or the folder holding CIFAR or IDX files). */
  path: string;
  format: DatasetFormat;
  cifar100Labels: 'fine' | 'coarse';
  /** A run whose best model ranks likely mislabelled images. */
  runDir?: string;
  /** Backend for the run's model. */
  backend: BackendChoice;
}

export interface PreviewRequest {
  /** The run spec to preview: its dataset, split, seed and augmentation. */
  spec: RunSpec;
  /** 1-based epoch whose augmentation is shown. */
  epoch: number;
  /** Training examples (indices after the validation split) to show; absent: the epoch's first `count`. */
  examples?: number[];
  count: number;
}

export interface EncodedPreviewImage {
  /** Index into the run's training examples. */
  example: number;
  source: string;
  /** Class index. */
  label: number;
  /** Position in the epoch's order. */
  position: number;
  /** The model input before augmentation. */
  original: EncodedPixels;
  /** Exactly what training feeds the model (rounded to bytes). */
  augmented: EncodedPixels;
}

export interface EncodedPreview {
  epoch: number;
  imageShape: ImageShape;
  augment: AugmentSpec;
  classes: string[];
  /** Training examples after the validation split (and limit). */
  trainCount: number;
  images: EncodedPreviewImage[];
}

/** Extension -> dataset process. */
export type ToInspect =
  /** Inspect a dataset: `progress` messages, then one `report` or `failed`. */
  | { type: 'inspect'; id: number; request: InspectRequest }
  /** Augment training images as training will: one `preview` or `failed`. */
  | { type: 'preview'; id: number; request: PreviewRequest }
  /** Stop a request: it ends with `failed` (cancelled). */
  | { type: 'cancel'; id: number };

/** Dataset process -> extension. */
export type FromInspect =
  | { type: 'progress'; id: number; progress: InspectProgress }
  | { type: 'report'; id: number; report: EncodedDatasetReport }
  | { type: 'preview'; id: number; preview: EncodedPreview }
  | { type: 'failed'; id: number; message: string; cancelled: boolean };

