// The full description of a training run: what the CLI parses, the extension asks for, and run.json stores.

export const DATASET_FORMATS = ['auto', 'folder', 'cifar10', 'cifar100', 'idx'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
export type ResolvedDatasetFormat = Exclude<DatasetFormat, 'auto'>;

export const MODEL_KINDS = ['cnn', 'rnn', 'attention', 'resnet'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const LOSS_KINDS = ['crossentropy', 'mse'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

export const OPTIMIZER_KINDS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

export const SCHEDULE_KINDS = ['constant', 'step', 'cosine', 'onecycle'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export const TTA_KINDS = ['none', 'flip'] as const;
export type TtaKind = (typeof TTA_KINDS)[number];

export const AUGMENT_KINDS = ['flip', 'rotate', 'crop', 'color'] as const;
export type AugmentKind = (typeof AUGMENT_KINDS)[number];

export interface DataSpec {
  /** Dataset folder (or, for IDX/CIFAR, the folder holding the files). */
  path: string;
  format: DatasetFormat;
  /** Side length images are resized to. Omitted: folder datasets use 32, CIFAR and IDX keep their native size. */
  imageSize?: number;
  /** Fraction of the training data held out (stratified, seeded) for validation, in [0, 0.9]. */
  valSplit: number;
  /** Train on at most this many stratified training examples. */
  limit?: number;
  /** CIFAR-100 only: which of the two label sets to learn. */
  cifar100Labels: 'fine' | 'coarse';
}

export interface AugmentSpec {
  /** Random horizontal flip with probability 0.5. */
  flip: boolean;
  /** Maximum rotation in degrees (uniform in [-r, r]); 0 = off. */
  rotateDegrees: number;
  /** Zero-padding in pixels before a random crop back to the original size; 0 = off. */
  cropPadding: number;
  /** Colour jitter strengths (factor ranges [1-s, 1+s]); 0 = off. */
  brightness: number;
  contrast: number;
  saturation: number;
}

export interface CnnOptions {
  /** Filters of each 3x3 convolution (the first strided on images of ~48 px and more); a max-pool follows every convolution but the last. */
  filters: number[];
  /** Units of the hidden dense layer. */
  denseUnits: number;
  dropout: number;
}

export interface RnnOptions {
  cell: 'lstm' | 'gru';
  /** Units of each recurrent layer, bottom first. */
  units: number[];
  dropout: number;
}

export interface AttentionOptions {
  /** Patch side in pixels; images of ~48 px and more get patches about side / 32 times larger (64 tokens at every size by default). */
  patchSize: number;
  embedDim: number;
  depth: number;
  heads: number;
  mlpDim: number;
  dropout: number;
}

export interface ResnetOptions {
  /** Filters of the stem: one 3x3 convolution (strided for images larger than ~48 px), batch norm, ReLU. */
  stemWidth: number;
  /**
   * Filters of each stage. A stage is a 3x3 convolution, a 2x2 max-pool (halving the side), batch norm
   * and ReLU, then its residual blocks.
   */
  widths: number[];
  /** Residual blocks of each stage (same length as widths): two 3x3 conv-BN-ReLU with a skip connection around them. */
  blocks: number[];
  /** Multiplies the globally max-pooled features before the classifier (ResNet-9 uses 0.125). */
  headScale: number;
  /** Weight of the old value in the batch-norm moving averages. */
  bnMomentum: number;
}

export type ModelSpec =
  | { kind: 'cnn'; options: CnnOptions }
  | { kind: 'rnn'; options: RnnOptions }
  | { kind: 'attention'; options: AttentionOptions }
  | { kind: 'resnet'; options: ResnetOptions };

/**
 * How the learning rate changes over training, as a multiple of TrainingSpec.learningRate (the peak).
 * Positions are fractions of all training steps, so a schedule does not depend on the dataset's size.
 */
export interface ScheduleSpec {
  kind: ScheduleKind;
  /** Fraction of training spent warming up: the rate rises linearly from initialFactor to 1 (0 = none). */
  warmup: number;
  /** The first step's rate during warm-up, as a fraction of the learning rate. */
  initialFactor: number;
  /** cosine, onecycle: the last step's rate, as a fraction of the learning rate. */
  finalFactor: number;
  /** step: fractions of training at which the rate is multiplied by gamma (increasing, in (0, 1)). */
  milestones: number[];
  /** step: the factor applied at each milestone. */
  gamma: number;
}

export interface TrainingSpec {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerKind;
  /** SGD momentum (0 = plain SGD); ignored by the other optimisers. */
  momentum: number;
  loss: LossKind;
  /** Cross-entropy label smoothing in [0, 1). */
  labelSmoothing: number;
  /** Stop after this many epochs without a better validation accuracy; 0 = never stop early. */
  earlyStoppingPatience: number;
  seed: number;
  /** Learning-rate schedule; absent = constant (runs before schedules existed). */
  schedule?: ScheduleSpec;
  /**
   * Decoupled weight decay (AdamW-style): each step multiplies weights of rank >= 2 (kernels, not biases
   * or norm parameters) by 1 - rate * weightDecay, apart from the gradient step. adam and sgd; absent = 0.
   */
  weightDecay?: number;
  /** sgd with momentum: Nesterov's look-ahead momentum. Absent = false. */
  nesterov?: boolean;
  /** Test-time augmentation when evaluating (validation, test, eval, classify); absent = none. */
  testTimeAugmentation?: TtaKind;
  /** Start from the weights of the run in this folder (absolute path) instead of a fresh model. */
  initFrom?: string;
  /** With initFrom: train only the classifier head for this many first epochs. Absent = 0. */
  freezeEpochs?: number;
}

export interface RunSpec {
  data: DataSpec;
  model: ModelSpec;
  training: TrainingSpec;
  augment: AugmentSpec;
}

/** The shape of an image batch fed to a model: [height, width, channels]. */
export type ImageShape = [number, number, number];
