// The dataset doctor's results as plain data (no classes, no tensors): what the command line prints
// and what a webview renders. Pixels are small uint8 images; files are absolute paths or, inside
// binary datasets (CIFAR, IDX), `file#index` sources.
import type { ExamplePixels } from '../inspect/pixelImage';
import type { ImageShape, ResolvedDatasetFormat } from '../runSpec';

/** Every kind of finding, in the order reports list them. */
export const FINDING_KINDS = [
  'unreadable', 'duplicate', 'nearDuplicate', 'crossClassDuplicate', 'trainTestLeak', 'imbalance', 'odd', 'likelyMislabelled',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export type Split = 'train' | 'test';

/** One image of the dataset with its label, as findings name them. */
export interface ImageRef {
  /** Absolute file path, or `file#index` inside a CIFAR or IDX file. */
  source: string;
  className: string;
  split: Split;
}

interface FindingBase {
  kind: FindingKind;
  /** The files (sources) the finding is about, for links, thumbnails and "Open". */
  files: string[];
  /** One sentence a user can act on. */
  message: string;
}

/** A file that cannot be used: empty, truncated, corrupt, or of an unsupported format. */
export interface UnreadableFinding extends FindingBase {
  kind: 'unreadable';
  reason: string;
}

/**
 * A group of identical (`exact`) or near-identical images. `duplicate` and `nearDuplicate` stay within
 * one class and split; `crossClassDuplicate` spans classes (a label conflict); `trainTestLeak` spans
 * the train and test splits. A group that both spans classes and splits is reported once as each.
 */
export interface DuplicateFinding extends FindingBase {
  kind: 'duplicate' | 'nearDuplicate' | 'crossClassDuplicate' | 'trainTestLeak';
  exact: boolean;
  images: ImageRef[];
}

/** A class with far fewer (or far more) images than the median class of its split, or none at all. */
export interface ImbalanceFinding extends FindingBase {
  kind: 'imbalance';
  className: string;
  split: Split;
  count: number;
  /** Images in the median class of the split. */
  median: number;
}

export type OddProblem = 'tiny' | 'huge' | 'wrongExtension' | 'outsideClassFolder' | 'ignoredFolder';

/** A readable file that is suspicious, or a file or folder training ignores. */
export interface OddFinding extends FindingBase {
  kind: 'odd';
  problem: OddProblem;
  image?: ImageRef;
  width?: number;
  height?: number;
  bytes?: number;
}

/** Where a likely mislabelled image sits for the run: trained on, held out for validation, or test. */
export type ExampleRole = 'training' | 'validation' | 'test';

/** An image the run's model contradicts with high confidence: the label may be wrong. */
export interface MislabelledFinding extends FindingBase {
  kind: 'likelyMislabelled';
  image: ImageRef;
  role: ExampleRole;
  /** The class the model predicts. */
  predicted: string;
  /** The model's probability of `predicted`. */
  confidence: number;
  /** The model's probability of the image's own label. */
  labelProbability: number;
  /** Cross-entropy of the label: -ln(labelProbability). Findings are ranked by it, highest first. */
  loss: number;
  /** 1 = the most likely mislabelled image. */
  rank: number;
}

export type Finding = UnreadableFinding | DuplicateFinding | ImbalanceFinding | OddFinding | MislabelledFinding;

/** Bars of a histogram: [from, to) ranges in ascending order. */
export interface Histogram {
  bins: { from: number; to: number; count: number }[];
}

export interface ImageStatistics {
  /** Readable images. */
  count: number;
  /** The most common width x height pairs, most frequent first (at most 20). */
  sizes: { width: number; height: number; count: number }[];
  widths: Histogram;
  heights: Histogram;
  /** Images stored grey (1 channel) and in colour (3). */
  channels: { grey: number; colour: number };
  /** File formats (PNG, JPEG...) or the record format of a binary dataset, most frequent first. */
  formats: { format: string; count: number }[];
  /** File sizes in bytes, power-of-two bins (folder datasets only). */
  fileBytes?: Histogram;
}

/** A sample of a class, with its pixels at the analysis shape. */
export interface SampleImage {
  source: string;
  split: Split;
  pixels: ExamplePixels;
}

export interface ClassReport {
  name: string;
  /** Readable images in each split. */
  train: number;
  test: number;
  /** Files of the class that could not be read. */
  unreadable: number;
  /** The average of the class's readable images at the analysis shape; absent for an empty class. */
  meanImage?: ExamplePixels;
  /** An evenly drawn sample of the class's training images (test images when it has none). */
  samples: SampleImage[];
}

/** How duplicates were told apart, for the report to explain itself. */
export interface DuplicateMethod {
  /** Exact duplicates: equal SHA-1 of the file's bytes (of the pixels, for CIFAR and IDX records). */
  contentHash: 'sha1';
  /**
   * Near-duplicate candidates: 64-bit difference hash of the grey image area-averaged to 9 x 8 (a
   * cell is brighter than its right neighbour by more than 4 grey levels).
   */
  perceptualHash: 'dhash64';
  /** Largest Hamming distance (of 64 bits) between the hashes of a candidate pair; 0 when the search was skipped. */
  maxHammingDistance: number;
  /**
   * Smallest Pearson correlation of the two grey images (at the analysis shape) that confirms a
   * candidate; pixels that are background in both images (within `backgroundTolerance` grey levels
   * of each image's most common level) are left out.
   */
  minCorrelation: number;
  /** Largest difference of the two images' mean levels, in any colour channel, of a confirmed pair. */
  maxLevelDifference: number;
  backgroundTolerance: number;
  /** Two images that are (almost) all background are near-identical when their mean absolute difference is at most this. */
  maxBlankDifference: number;
}

export interface RunSummaryForReport {
  runDir: string;
  name: string;
  /** The best epoch, whose model (`model/`) was used. */
  epoch?: number;
  /** Images the model was run on. */
  examined: number;
  /** Its accuracy on them (labels as the dataset has them). */
  accuracy: number;
  /** Validation images named in the run's predictions.json. */
  validation: number;
}

export interface DatasetReport {
  root: string;
  format: ResolvedDatasetFormat;
  /** The shape images were reduced to for mean images, samples and hashes: [height, width, channels]. */
  analysisShape: ImageShape;
  classes: ClassReport[];
  totals: { train: number; test: number; unreadable: number };
  images: ImageStatistics;
  findings: Finding[];
  /** Findings per kind (every kind present, 0 when none). */
  findingCounts: Record<FindingKind, number>;
  duplicates: DuplicateMethod;
  /** Present when a run was given. */
  run?: RunSummaryForReport;
  /** Problems worked around while inspecting (never a finding about the data itself). */
  warnings: string[];
  seconds: number;
}

/** Progress of a long inspection: `done` of `total` units of the current phase. */
export interface InspectProgress {
  /** reading: files read, decoded (and run through the model, with a run); comparing: hashes compared. */
  phase: 'reading' | 'comparing';
  done: number;
  total: number;
}
