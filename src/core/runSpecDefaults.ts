// Default run settings and the validation that turns bad hyperparameters into one clear message.
import { DEFAULT_FOLDER_IMAGE_SIZE } from './data/imageSize';
import { minimumImageSize } from './models/minimumImageSize';
import {
  DATASET_FORMATS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS, TTA_KINDS,
  type RunSpec, type TrainingSpec,
} from './runSpec';
import { modelOptionsProblem } from './models/modelOptions';
import { RunSpecError } from './runSpecError';
import { scheduleProblem } from './train/learningRateSchedule';

export { RunSpecError };

export function defaultTrainingSpec(): TrainingSpec {
  return {
    epochs: 10,
    batchSize: 64,
    learningRate: 0.001,
    optimizer: 'adam',
    momentum: 0.9,
    loss: 'crossentropy',
    labelSmoothing: 0,
    earlyStoppingPatience: 0,
    seed: 42,
  };
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RunSpecError(message);
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Throws a RunSpecError naming the first setting that is out of range. */
export function validateRunSpec(spec: RunSpec): void {
  const { data, model, training, augment } = spec;
  check(typeof data.path === 'string' && data.path.length > 0, 'The dataset path is empty: pass --data PATH.');
  check((DATASET_FORMATS as readonly string[]).includes(data.format),
    `Unknown dataset format "${data.format}": use one of ${DATASET_FORMATS.join(', ')}.`);
  check(isFiniteNumber(data.valSplit) && data.valSplit >= 0 && data.valSplit <= 0.9,
    `The validation split must be a fraction between 0 and 0.9 (got ${data.valSplit}).`);
  if (data.imageSize !== undefined) {
    check(isInt(data.imageSize) && data.imageSize >= 8 && data.imageSize <= 512,
      `The image size must be a whole number of pixels between 8 and 512 (got ${data.imageSize}).`);
  }
  if (data.limit !== undefined) {
    check(isInt(data.limit) && data.limit >= 2, `The example limit must be a whole number of at least 2 (got ${data.limit}).`);
  }
  check(data.cifar100Labels === 'fine' || data.cifar100Labels === 'coarse',
    `The CIFAR-100 label set must be "fine" or "coarse" (got ${String(data.cifar100Labels)}).`);

  check((MODEL_KINDS as readonly string[]).includes(model.kind),
    `Unknown model "${model.kind}": use one of ${MODEL_KINDS.join(', ')}.`);
  const modelProblem = modelOptionsProblem(model);
  check(modelProblem === undefined, modelProblem ?? '');
  // Folder images are resized to imageSize (32 by default); other formats keep their native size unless told.
  const size = data.imageSize ?? (data.format === 'folder' ? DEFAULT_FOLDER_IMAGE_SIZE : undefined);
  const smallest = minimumImageSize(model);
  if (size !== undefined && size < smallest) {
    throw new RunSpecError(
      `Images of ${size}x${size} are too small for this ${model.kind.toUpperCase()}: it needs at least ${smallest}x${smallest} pixels. ` +
      'Use a larger --image-size, or a model with fewer layers.');
  }

  check(isInt(training.epochs) && training.epochs >= 1 && training.epochs <= 10_000,
    `Epochs must be a whole number from 1 to 10000 (got ${training.epochs}).`);
  check(isInt(training.batchSize) && training.batchSize >= 1 && training.batchSize <= 4096,
    `The batch size must be a whole number from 1 to 4096 (got ${training.batchSize}).`);
  check(isFiniteNumber(training.learningRate) && training.learningRate > 0 && training.learningRate <= 10,
    `The learning rate must be a positive number no larger than 10 (got ${training.learningRate}).`);
  check((OPTIMIZER_KINDS as readonly string[]).includes(training.optimizer),
    `Unknown optimizer "${training.optimizer}": use one of ${OPTIMIZER_KINDS.join(', ')}.`);
  check(isFiniteNumber(training.momentum) && training.momentum >= 0 && training.momentum < 1,
    `Momentum must be in [0, 1) (got ${training.momentum}).`);
  check((LOSS_KINDS as readonly string[]).includes(training.loss),
    `Unknown loss "${training.loss}": use one of ${LOSS_KINDS.join(', ')}.`);
  check(isFiniteNumber(training.labelSmoothing) && training.labelSmoothing >= 0 && training.labelSmoothing < 1,
    `Label smoothing must be in [0, 1) (got ${training.labelSmoothing}).`);
  check(isInt(training.earlyStoppingPatience) && training.earlyStoppingPatience >= 0,
    `Early-stopping patience must be a whole number of epochs, 0 for none (got ${training.earlyStoppingPatience}).`);
  check(isInt(training.seed) && training.seed >= 0 && training.seed <= 0xffffffff,
    `The seed must be a whole number from 0 to 4294967295 (got ${training.seed}).`);
  // Optional settings (absent in older run.json files).
  if (training.schedule !== undefined) {
    const problem = typeof training.schedule === 'object' && training.schedule !== null
      ? scheduleProblem(training.schedule) : 'The learning-rate schedule must be an object with a kind.';
    check(problem === undefined, problem ?? '');
  }
  if (training.weightDecay !== undefined) {
    check(isFiniteNumber(training.weightDecay) && training.weightDecay >= 0 && training.weightDecay < 1,
      `Weight decay must be in [0, 1) (got ${training.weightDecay}).`);
    check(training.weightDecay === 0 || training.optimizer !== 'rmsprop',
      'Weight decay works with the adam and sgd optimizers: pick one of them, or drop the weight decay.');
  }
  if (training.nesterov !== undefined) {
    check(typeof training.nesterov === 'boolean', 'Nesterov momentum must be true or false.');
    check(!training.nesterov || (training.optimizer === 'sgd' && training.momentum > 0),
      'Nesterov momentum needs the sgd optimizer with a momentum above 0.');
  }
  if (training.testTimeAugmentation !== undefined) {
    check((TTA_KINDS as readonly string[]).includes(training.testTimeAugmentation),
      `Unknown test-time augmentation "${training.testTimeAugmentation}": use one of ${TTA_KINDS.join(', ')}.`);
  }
  if (training.initFrom !== undefined) {
    check(typeof training.initFrom === 'string' && training.initFrom.length > 0, 'The run to start from is empty: pass --init-from RUN_DIR.');
  }
  if (training.freezeEpochs !== undefined) {
    check(isInt(training.freezeEpochs) && training.freezeEpochs >= 0 && training.freezeEpochs <= training.epochs,
      `Frozen epochs must be a whole number from 0 to the number of epochs, ${training.epochs} (got ${training.freezeEpochs}).`);
    check(training.freezeEpochs === 0 || training.initFrom !== undefined,
      'Freezing all but the head needs weights to start from: add --init-from RUN_DIR.');
  }

  check(typeof augment.flip === 'boolean', 'Augmentation "flip" must be true or false.');
  check(isFiniteNumber(augment.rotateDegrees) && augment.rotateDegrees >= 0 && augment.rotateDegrees <= 180,
    `Rotation must be between 0 and 180 degrees (got ${augment.rotateDegrees}).`);
  check(isInt(augment.cropPadding) && augment.cropPadding >= 0 && augment.cropPadding <= 64,
    `Crop padding must be a whole number of pixels from 0 to 64 (got ${augment.cropPadding}).`);
  for (const key of ['brightness', 'contrast', 'saturation'] as const) {
    check(isFiniteNumber(augment[key]) && augment[key] >= 0 && augment[key] <= 1,
      `Colour jitter "${key}" must be between 0 and 1 (got ${augment[key]}).`);
  }
}
