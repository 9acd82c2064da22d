// Train options by their camelCase names (`data`, `model`, `epochs`, `batchSize`, `learningRate`, ...), the
// vocabulary a sweep's base and parameters and a doctor's suggested changes share, turned into a RunSpec
// with one message naming the option that cannot work. Model options go by `model.<name>` (`model.units`).
import { isAbsolute, resolve } from 'node:path';
import { noAugmentation, parseAugmentList } from './data/augment';
import { defaultModelSpec } from './models/defaultModelSpecs';
import { applyModelOptions, checkModelOptionValue, listModelOptions } from './models/modelOptions';
import {
  AUGMENT_KINDS, DATASET_FORMATS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS,
  type AugmentSpec, type ModelKind, type RunSpec,
} from './runSpec';
import { defaultTrainingSpec, validateRunSpec } from './runSpecDefaults';
import { errorMessage } from './errorMessage';

/** A value a train option or a model option takes. */
export type TrainOptionValue = string | number | boolean | number[];

/** Options as a sweep's `base` holds them; every one but `data` has the CLI's default. */
export interface TrainOptions {
  /** Dataset folder; relative paths are taken from the folder the options were read from. */
  data: string;
  format?: string;
  /** Model kind: cnn, rnn, attention. */
  model?: string;
  /** The model's options by name (`{"units": 64, "layers": 2}`); see modelOptionTables.ts. */
  modelOptions?: Record<string, unknown>;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  optimizer?: string;
  momentum?: number;
  loss?: string;
  labelSmoothing?: number;
  /** `"flip,crop"`, `["flip", "crop"]`, `"none"`, or the strengths themselves (an AugmentSpec). */
  augment?: string | string[] | Partial<AugmentSpec>;
  imageSize?: number;
  valSplit?: number;
  limit?: number;
  seed?: number;
  /** Early-stopping patience in epochs; 0 = never stop early. */
  patience?: number;
  cifar100Labels?: string;
}

export type TrainOptionName = keyof TrainOptions;

type OptionKind = 'path' | 'integer' | 'number' | 'choice' | 'augment' | 'modelOptions';

interface OptionDef {
  kind: OptionKind;
  choices?: readonly string[];
}

/** Every train option with the kind of value it takes. */
export const TRAIN_OPTIONS: Readonly<Record<TrainOptionName, OptionDef>> = {
  data: { kind: 'path' },
  format: { kind: 'choice', choices: DATASET_FORMATS },
  model: { kind: 'choice', choices: MODEL_KINDS },
  modelOptions: { kind: 'modelOptions' },
  epochs: { kind: 'integer' },
  batchSize: { kind: 'integer' },
  learningRate: { kind: 'number' },
  optimizer: { kind: 'choice', choices: OPTIMIZER_KINDS },
  momentum: { kind: 'number' },
  loss: { kind: 'choice', choices: LOSS_KINDS },
  labelSmoothing: { kind: 'number' },
  augment: { kind: 'augment' },
  imageSize: { kind: 'integer' },
  valSplit: { kind: 'number' },
  limit: { kind: 'integer' },
  seed: { kind: 'integer' },
  patience: { kind: 'integer' },
  cifar100Labels: { kind: 'choice', choices: ['fine', 'coarse'] },
};

/** The prefix of a model option's name among train options: `model.units`. */
export const MODEL_OPTION_PREFIX = 'model.';

/** An option that cannot work: `option` is its name as given (`learningRate`, `modelOptions.units`). */
export class TrainOptionError extends Error {
  override readonly name = 'TrainOptionError';

  constructor(readonly option: string, message: string) {
    super(message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTrainOptionName(name: string): name is TrainOptionName {
  return Object.prototype.hasOwnProperty.call(TRAIN_OPTIONS, name);
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function parseAugment(value: unknown): AugmentSpec {
  if (typeof value === 'string') return parseAugmentList(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return parseAugmentList(value.join(','));
  if (isObject(value)) {
    const spec = noAugmentation();
    for (const [key, strength] of Object.entries(value)) {
      if (!Object.prototype.hasOwnProperty.call(spec, key)) {
        throw new Error(`Unknown augmentation setting "${key}": use ${Object.keys(spec).join(', ')}.`);
      }
      const expected = key === 'flip' ? 'boolean' : 'number';
      if (typeof strength !== expected) throw new Error(`Augmentation "${key}" must be a ${expected} (got ${shown(strength)}).`);
      (spec as unknown as Record<string, unknown>)[key] = strength;
    }
    return spec;
  }
  throw new Error(`augment must be a list of ${AUGMENT_KINDS.join(', ')} (as "flip,crop" or ["flip", "crop"]), "none", or the strengths {"flip", "rotateDegrees", ...} (got ${shown(value)}).`);
}

/** The value's type against its option's kind; throws a TrainOptionError naming the option. */
function checkType(name: TrainOptionName, value: unknown): void {
  const def = TRAIN_OPTIONS[name];
  const fail = (what: string) => {
    throw new TrainOptionError(name, `${name} must be ${what} (got ${shown(value)}).`);
  };
  switch (def.kind) {
    case 'path':
      if (typeof value !== 'string' || value.trim() === '') fail('the path of a dataset folder');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('a whole number');
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('a number');
      return;
    case 'choice':
      if (typeof value !== 'string' || !def.choices!.includes(value)) fail(`one of ${def.choices!.join(', ')}`);
      return;
    case 'augment':
      try {
        parseAugment(value);
      } catch (error) {
        throw new TrainOptionError(name, errorMessage(error));
      }
      return;
    case 'modelOptions':
      if (!isObject(value)) fail('an object of model options by name, e.g. {"units": 64}');
      return;
  }
}

/** The spec's part that `name` sets, on top of `spec`. Values are type-checked already. */
function setOption(spec: RunSpec, name: TrainOptionName, value: unknown, baseDir: string): void {
  switch (name) {
    case 'data': spec.data.path = isAbsolute(value as string) ? (value as string) : resolve(baseDir, value as string); return;
    case 'format': spec.data.format = value as RunSpec['data']['format']; return;
    case 'imageSize': spec.data.imageSize = value as number; return;
    case 'valSplit': spec.data.valSplit = value as number; return;
    case 'limit': spec.data.limit = value as number; return;
    case 'cifar100Labels': spec.data.cifar100Labels = value as 'fine' | 'coarse'; return;
    case 'model': case 'modelOptions': return; // Built together below.
    case 'epochs': spec.training.epochs = value as number; return;
    case 'batchSize': spec.training.batchSize = value as number; return;
    case 'learningRate': spec.training.learningRate = value as number; return;
    case 'optimizer': spec.training.optimizer = value as RunSpec['training']['optimizer']; return;
    case 'momentum': spec.training.momentum = value as number; return;
    case 'loss': spec.training.loss = value as RunSpec['training']['loss']; return;
    case 'labelSmoothing': spec.training.labelSmoothing = value as number; return;
    case 'seed': spec.training.seed = value as number; return;
    case 'patience': spec.training.earlyStoppingPatience = value as number; return;
    case 'augment': spec.augment = parseAugment(value); return;
  }
}

function defaultSpec(): RunSpec {
  return {
    data: { path: '', format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: defaultTrainingSpec(),
    augment: noAugmentation(),
  };
}

/**
 * A validated RunSpec from train options (a plain object, e.g. parsed JSON). Options left out take the
 * CLI's defaults. Throws a TrainOptionError naming the first option that cannot work: an unknown name,
 * a value of the wrong type or out of range (`learningRate`), a model option (`modelOptions.units`).
 */
export function runSpecFromTrainOptions(options: Readonly<Record<string, unknown>>, baseDir = process.cwd()): RunSpec {
  if (!isObject(options)) throw new TrainOptionError('', 'Train options must be an object of options by name, e.g. {"data": "data/digits"}.');
  for (const name of Object.keys(options)) {
    if (!isTrainOptionName(name)) {
      throw new TrainOptionError(name, `Unknown train option "${name}": use ${Object.keys(TRAIN_OPTIONS).join(', ')}.`);
    }
  }
  if (options.data === undefined) throw new TrainOptionError('data', 'data is missing: give the dataset folder.');
  const names = Object.keys(options) as TrainOptionName[];
  for (const name of names) if (options[name] !== undefined) checkType(name, options[name]);

  const spec = defaultSpec();
  for (const name of names) if (options[name] !== undefined) setOption(spec, name, options[name], baseDir);
  const kind = (options.model ?? 'cnn') as ModelKind;
  const modelOptions = (options.modelOptions ?? {}) as Record<string, unknown>;
  for (const [option, value] of Object.entries(modelOptions)) {
    try {
      checkModelOptionValue(kind, option, value);
    } catch (error) {
      throw new TrainOptionError(`${MODEL_OPTION_PREFIX}${option}`, errorMessage(error));
    }
  }
  try {
    spec.model = applyModelOptions(defaultModelSpec(kind), modelOptions);
  } catch (error) {
    throw new TrainOptionError(Object.keys(modelOptions).length > 0 ? 'modelOptions' : 'model', errorMessage(error));
  }
  // Each option alone on the defaults (and the chosen model), so an out-of-range value is reported under its own name.
  for (const name of names) {
    if (options[name] === undefined || name === 'data' || name === 'model' || name === 'modelOptions') continue;
    const alone = defaultSpec();
    alone.data.path = spec.data.path || '.';
    // The image size's lower limit depends on the model: check it against the chosen one.
    alone.model = spec.model;
    setOption(alone, name, options[name], baseDir);
    try {
      validateRunSpec(alone);
    } catch (error) {
      throw new TrainOptionError(name, errorMessage(error));
    }
  }

  try {
    validateRunSpec(spec);
  } catch (error) {
    throw new TrainOptionError('', errorMessage(error));
  }
  return spec;
}

/** The options that give back `spec` through runSpecFromTrainOptions (the augmentation as its strengths). */
export function trainOptionsFromRunSpec(spec: RunSpec): TrainOptions & Record<string, unknown> {
  const { data, model, training, augment } = spec;
  const options: TrainOptions & Record<string, unknown> = {
    data: data.path,
    format: data.format,
    model: model.kind,
    modelOptions: structuredClone(model.options) as unknown as Record<string, unknown>,
    epochs: training.epochs,
    batchSize: training.batchSize,
    learningRate: training.learningRate,
    optimizer: training.optimizer,
    momentum: training.momentum,
    loss: training.loss,
    labelSmoothing: training.labelSmoothing,
    augment: { ...augment },
    valSplit: data.valSplit,
    seed: training.seed,
    patience: training.earlyStoppingPatience,
    cifar100Labels: data.cifar100Labels,
  };
  if (data.imageSize !== undefined) options.imageSize = data.imageSize;
  if (data.limit !== undefined) options.limit = data.limit;
  return options;
}

/** True when `name` is a train option or a model option (`model.units`) that parameters and changes may set. */
export function isSettableOption(name: string): boolean {
  return name.startsWith(MODEL_OPTION_PREFIX) ? name.length > MODEL_OPTION_PREFIX.length : isTrainOptionName(name) && name !== 'modelOptions';
}

/**
 * Options with `changes` laid over them: train options by name, model options as `model.<name>`
 * (merged into `modelOptions`, so the base's model options stay unless a change sets them).
 */
export function withChanges(options: Readonly<Record<string, unknown>>, changes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...options };
  const modelOptions: Record<string, unknown> = isObject(merged.modelOptions) ? { ...merged.modelOptions } : {};
  for (const [name, value] of Object.entries(changes)) {
    if (name.startsWith(MODEL_OPTION_PREFIX)) modelOptions[name.slice(MODEL_OPTION_PREFIX.length)] = value;
    else merged[name] = value;
  }
  if (Object.keys(modelOptions).length > 0) merged.modelOptions = modelOptions;
  return merged;
}

/** `spec` with `changes` applied (a doctor's fix, "rerun with ..."); throws a TrainOptionError naming a bad change. */
export function runSpecWithChanges(spec: RunSpec, changes: Readonly<Record<string, unknown>>): RunSpec {
  for (const name of Object.keys(changes)) {
    if (!isSettableOption(name)) throw new TrainOptionError(name, `Unknown option "${name}": use a train option or model.<option>.`);
  }
  const options = trainOptionsFromRunSpec(spec);
  // Another kind of model starts from its own defaults: the old kind's options do not apply.
  if (changes.model !== undefined && changes.model !== spec.model.kind) delete options.modelOptions;
  return runSpecFromTrainOptions(withChanges(options, changes));
}

/** Every option a model kind takes, as `model.<name>`: for messages. */
export function modelOptionNames(kind: ModelKind): string {
  return listModelOptions(kind).split(', ').map((name) => `${MODEL_OPTION_PREFIX}${name}`).join(', ');
}
