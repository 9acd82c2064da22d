// Named run settings (a recipe without a dataset): the built-in ones, and turning a saved file's JSON into one.
import { noAugmentation } from '../data/augment';
import { defaultModelSpec } from '../models/defaultModelSpecs';
import { MODEL_KINDS, type AugmentSpec, type DataSpec, type ModelKind, type ModelSpec, type TrainingSpec } from '../runSpec';
import { defaultTrainingSpec } from '../runSpecDefaults';
import { defaultSchedule } from '../train/learningRateSchedule';

/** What a preset is expected to give, for the wizard: accuracy after about this much wall time on a dataset. */
export interface PresetExpectation {
  dataset: string;
  /** Test accuracy in [0, 1]. */
  accuracy: number;
  /** Wall time end to end (reading, training, validation, test), in minutes. */
  minutes: number;
  /** Where the numbers come from: the machine and command they were measured with, or that they are a target. */
  basis: string;
}

/** The settings a preset fixes: everything of a run spec but the dataset's path and format. */
export interface PresetSpec {
  data: Partial<Pick<DataSpec, 'imageSize' | 'valSplit' | 'limit'>>;
  model: ModelSpec;
  training: TrainingSpec;
  augment: AugmentSpec;
}

export interface RunPreset {
  name: string;
  description: string;
  expected?: PresetExpectation;
  spec: PresetSpec;
  /** Built into Classifier Lab, or read from a file (its path). */
  source: 'built-in' | { file: string };
}

/** The file layout of a saved preset (`<name>.json` in the presets folder). */
export interface PresetFile {
  schemaVersion: 1;
  name: string;
  description: string;
  expected?: PresetExpectation;
  spec: PresetSpec;
}

/** A preset's name: a file name on every platform and a word on the command line. */
export const PRESET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A preset that cannot be used: the message names the preset (or its file) and what is wrong. */
export class PresetError extends Error {
  override readonly name = 'PresetError';
}

/** Today's defaults as a preset spec: what `train` uses without --preset. */
export function defaultPresetSpec(): PresetSpec {
  return { data: { valSplit: 0.1 }, model: defaultModelSpec('cnn'), training: defaultTrainingSpec(), augment: noAugmentation() };
}

/**
 * The fast CIFAR-10 recipe, scaled to a 2-core CPU: the residual net (ResNet-9 at a quarter width) under a
 * one-cycle schedule with decoupled weight decay, label smoothing 0.2, flips and padded crops while
 * training, and flipped test-time augmentation (the DAWNBench ResNet-9 and airbench ingredients). With
 * the few steps a CPU affords, AdamW at batch 64 learned faster than SGD with Nesterov momentum: on
 * 5,000 CIFAR-10 training images for 5 epochs, 60.1% test against 58.2% (SGD, batch 64, rate 0.1) and
 * 55.7% (SGD, batch 128, rate 0.2). A small validation split keeps most images for training.
 */
function cifar10Fast(): RunPreset {
  return {
    name: 'cifar10-fast',
    description: 'ResNet, one-cycle AdamW, label smoothing, flip + crop augmentation and flip TTA: the fast CIFAR-10 recipe for a laptop CPU.',
    expected: {
      dataset: 'CIFAR-10 (50,000 training and 10,000 test images, 32x32)',
      accuracy: 0.845,
      minutes: 25.3,
      basis: 'Measured: 84.5% test accuracy in 25.3 min end to end on real CIFAR-10 (node dist/cli.js train --preset cifar10-fast --seed 2, wasm backend, 2 threads, an idle 2-core Xeon VM); seed 1 also gave 84.5%.',
    },
    spec: {
      data: { valSplit: 0.05 },
      model: defaultModelSpec('resnet'),
      training: {
        ...defaultTrainingSpec(),
        epochs: 4,
        batchSize: 64,
        learningRate: 0.003,
        optimizer: 'adam',
        weightDecay: 0.05,
        labelSmoothing: 0.2,
        schedule: defaultSchedule('onecycle'),
        testTimeAugmentation: 'flip',
      },
      augment: { ...noAugmentation(), flip: true, cropPadding: 4 },
    },
    source: 'built-in',
  };
}

/** The seed's settings by name, to compare a recipe against. */
function cnnBaseline(): RunPreset {
  return {
    name: 'cnn-baseline',
    description: 'The classic Keras tutorial CNN with Adam (learning rate 0.001), batch 64, 10 epochs, no augmentation: the defaults.',
    expected: {
      dataset: 'CIFAR-10 (50,000 training and 10,000 test images, 32x32)',
      accuracy: 0.711,
      minutes: 26.5,
      basis: 'Measured with `classifier-lab train --data CIFAR10 --val-split 0` on a 2-core CPU (wasm backend, one thread).',
    },
    spec: defaultPresetSpec(),
    source: 'built-in',
  };
}

export function builtInPresets(): RunPreset[] {
  return [cifar10Fast(), cnnBaseline()];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A preset from a saved file's parsed JSON. Missing settings take today's defaults (a hand-written
 * preset may name only what it changes); values are checked when the preset is used, with the run spec.
 */
export function presetFromJson(raw: unknown, file: string): RunPreset {
  if (!isObject(raw) || !isObject(raw.spec)) throw new PresetError(`${file} is not a Classifier Lab preset: expected an object with a "spec".`);
  const name = typeof raw.name === 'string' && PRESET_NAME.test(raw.name) ? raw.name : undefined;
  if (name === undefined) throw new PresetError(`${file} has no valid preset name (letters, digits, ".", "_" and "-").`);
  const spec = raw.spec;
  const base = defaultPresetSpec();
  let model = base.model;
  if (spec.model !== undefined) {
    if (!isObject(spec.model) || !(MODEL_KINDS as readonly unknown[]).includes(spec.model.kind)) {
      throw new PresetError(`${file}: unknown model ${JSON.stringify(isObject(spec.model) ? spec.model.kind : spec.model)}; use one of ${MODEL_KINDS.join(', ')}.`);
    }
    const defaults = defaultModelSpec(spec.model.kind as ModelKind);
    model = { kind: defaults.kind, options: { ...defaults.options, ...(isObject(spec.model.options) ? spec.model.options : {}) } } as ModelSpec;
  }
  const part = (value: unknown, what: string): Record<string, unknown> => {
    if (value === undefined) return {};
    if (!isObject(value)) throw new PresetError(`${file}: "${what}" must be an object.`);
    return value;
  };
  const data = part(spec.data, 'data');
  const expected = isObject(raw.expected) && typeof raw.expected.accuracy === 'number' && typeof raw.expected.minutes === 'number'
    ? raw.expected as unknown as PresetExpectation : undefined;
  return {
    name,
    description: typeof raw.description === 'string' ? raw.description : '',
    ...(expected ? { expected } : {}),
    spec: {
      // Only these: a preset never chooses the dataset itself.
      data: {
        ...base.data,
        ...(data.valSplit !== undefined ? { valSplit: data.valSplit as number } : {}),
        ...(data.imageSize !== undefined ? { imageSize: data.imageSize as number } : {}),
        ...(data.limit !== undefined ? { limit: data.limit as number } : {}),
      },
      model,
      training: { ...base.training, ...part(spec.training, 'training') } as TrainingSpec,
      augment: { ...base.augment, ...part(spec.augment, 'augment') } as AugmentSpec,
    },
    source: { file },
  };
}

/** The JSON a preset is saved as. */
export function presetToFile(preset: Pick<RunPreset, 'name' | 'description' | 'expected' | 'spec'>): PresetFile {
  return {
    schemaVersion: 1,
    name: preset.name,
    description: preset.description,
    ...(preset.expected ? { expected: preset.expected } : {}),
    spec: preset.spec,
  };
}
