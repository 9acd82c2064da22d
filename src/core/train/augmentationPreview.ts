// What training's augmentation does to real training images: for a seed and an epoch, the exact float
// pixels the training loop feeds the model, so a preview shows pixel for pixel what training will see.
import type { Dataset, ExampleSource } from '../data/dataset';
import { augmentDrawsPerImage, trainingBatchFloats } from '../data/augment';
import { loadDataset, type LoadDatasetOptions } from '../data/loadDataset';
import type { AugmentSpec, ImageShape, RunSpec } from '../runSpec';
import { splitTraining } from '../runTraining';
import { seededStream, shuffleInPlace } from './seededRandom';

/**
 * The order in which epoch `epoch` (1-based) visits the training examples: the training loop
 * shuffles 0..count-1 with the stream `shuffle:<epoch>` of the run's seed and cuts it into batches.
 */
export function epochOrder(count: number, seed: number, epoch: number): number[] {
  return shuffleInPlace(Array.from({ length: count }, (_, i) => i), seededStream(seed, `shuffle:${epoch}`));
}

/** The generator the training loop augments epoch `epoch` with, consumed batch after batch. */
export function epochAugmentStream(seed: number, epoch: number): () => number {
  return seededStream(seed, `augment:${epoch}`);
}

export interface AugmentationPreviewRequest {
  /** The training examples exactly as the run trains on them (after the validation split and limit). */
  train: ExampleSource;
  /** The model input shape: [height, width, channels] of `train`'s pixels. */
  imageShape: ImageShape;
  augment: AugmentSpec;
  /** The run's seed. */
  seed: number;
  /** 1-based epoch; another epoch re-rolls the augmentation. */
  epoch: number;
  /**
   * Which training examples (indices into `train`) to show, as training augments them in `epoch`.
   * Default: the first `count` examples the epoch visits (its first batches).
   */
  examples?: readonly number[];
  /** How many of the epoch's first examples to show when `examples` is not given. Default 16. */
  count?: number;
}

export interface PreviewImage {
  /** Index into the training examples. */
  example: number;
  /** Where the example came from: a file path, or `file#index` for binary formats. */
  source: string;
  /** Class index. */
  label: number;
  /** Position in the epoch's order: the example is image `position % batchSize` of batch `floor(position / batchSize)`. */
  position: number;
  /** The model input before augmentation: uint8 packed [height, width, channels]. */
  original: Uint8Array;
  /** Exactly what training feeds the model: floats in [0, 1], packed [height, width, channels]. */
  augmented: Float32Array;
  /** `augmented` as uint8 (rounded), for display. */
  augmentedPixels: Uint8Array;
}

export interface AugmentationPreview {
  epoch: number;
  imageShape: ImageShape;
  augment: AugmentSpec;
  images: PreviewImage[];
}

function toUint8(floats: Float32Array): Uint8Array {
  const out = new Uint8Array(floats.length);
  for (let i = 0; i < floats.length; i++) out[i] = Math.round(floats[i] * 255);
  return out;
}

/**
 * Augments training examples as epoch `epoch` of a run with this seed does. Every image draws the
 * same count of random numbers (`augmentDrawsPerImage`), so the example at position k of the epoch
 * starts at draw k * that count of the epoch's augmentation stream, whatever the batch size: the
 * preview replays the stream up to there and calls the training code's own `trainingBatchFloats`.
 */
export async function previewAugmentation(request: AugmentationPreviewRequest): Promise<AugmentationPreview> {
  const { train, imageShape, augment, seed, epoch } = request;
  if (!Number.isInteger(epoch) || epoch < 1) throw new RangeError(`epoch must be a whole number from 1 (got ${epoch})`);
  const order = epochOrder(train.count, seed, epoch);
  const positionOf = new Int32Array(train.count);
  order.forEach((example, position) => { positionOf[example] = position; });
  const examples = request.examples
    ? [...request.examples]
    : order.slice(0, Math.min(train.count, request.count ?? 16));
  for (const example of examples) {
    if (!Number.isInteger(example) || example < 0 || example >= train.count) {
      throw new RangeError(`example ${example} is not one of the ${train.count} training examples`);
    }
  }
  const [h, w, c] = imageShape;
  const imageBytes = h * w * c;
  const draws = augmentDrawsPerImage(augment, c);
  const pixels = await train.readPixels(examples);
  // One pass over the stream in epoch order, augmenting each requested example at its own position.
  const byPosition = examples.map((example, k) => ({ example, k, position: positionOf[example] }))
    .sort((a, b) => a.position - b.position);
  const random = epochAugmentStream(seed, epoch);
  let drawn = 0;
  const images = new Array<PreviewImage>(examples.length);
  for (const { example, k, position } of byPosition) {
    for (; drawn < position * draws; drawn++) random();
    const original = pixels.slice(k * imageBytes, (k + 1) * imageBytes);
    const augmented = trainingBatchFloats(original, [1, h, w, c], augment, random);
    drawn += draws;
    images[k] = {
      example, source: train.sourceOf(example), label: train.labels[example], position,
      original, augmented, augmentedPixels: toUint8(augmented),
    };
  }
  return { epoch, imageShape, augment, images };
}

export interface RunAugmentationPreviewOptions extends LoadDatasetOptions {
  epoch?: number;
  examples?: readonly number[];
  count?: number;
}

/** The training examples of a run spec (dataset loaded and split exactly as training does) and their classes. */
export async function loadTrainingExamples(spec: RunSpec, options: LoadDatasetOptions = {}): Promise<{ dataset: Dataset; train: ExampleSource }> {
  const dataset = await loadDataset(spec.data, options);
  return { dataset, train: splitTraining(dataset, spec).train };
}

/** A preview for a run spec before it trains: loads its dataset, splits it as training will, augments. */
export async function previewRunAugmentation(spec: RunSpec, options: RunAugmentationPreviewOptions = {}): Promise<AugmentationPreview & { classes: string[] }> {
  const { dataset, train } = await loadTrainingExamples(spec, options);
  const preview = await previewAugmentation({
    train, imageShape: dataset.imageShape, augment: spec.augment, seed: spec.training.seed,
    epoch: options.epoch ?? 1, examples: options.examples, count: options.count,
  });
  return { ...preview, classes: dataset.classes };
}
