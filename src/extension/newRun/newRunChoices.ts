// The answers of the New Training Run wizard, and how they become a RunSpec (and back, for reruns and saved specs).
import { isAbsolute, resolve } from 'node:path';
import { noAugmentation, parseAugmentList } from '../../core/data/augment';
import { isOneOf, isRecord } from '../../core/guards';
import { defaultModelSpec } from '../../core/models/defaultModelSpecs';
import {
  applyModelOptions, describeAccepted, findModelOption, isModelOptionValue, modelOptionFields, parseModelOptionText, readModelOptions,
  type ModelOptionField, type ModelOptionValue,
} from '../../core/models/modelOptions';
import {
  AUGMENT_KINDS, DATASET_FORMATS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS, SCHEDULE_KINDS, TTA_KINDS,
  type AugmentKind, type AugmentSpec, type LossKind, type ModelKind, type RunSpec, type ScheduleKind, type TrainingSpec, type TtaKind,
} from '../../core/runSpec';
import { defaultTrainingSpec, validateRunSpec } from '../../core/runSpecDefaults';
import { defaultSchedule } from '../../core/train/learningRateSchedule';
import type { TrainingDefaults } from '../settingsValues';

/** The settings' first answers (model, epochs, batch size, learning rate, optimiser), and the rest. */
export interface NewRunChoices extends TrainingDefaults {
  /** Absolute dataset folder. */
  datasetPath: string;
  loss: LossKind;
  augment: AugmentKind[];
  /** Options of the chosen model kind set away from its defaults, by name (`units`, `layers`); see modelOptionTables.ts. */
  modelOptions?: Record<string, ModelOptionValue>;
  /** Learning-rate schedule; absent keeps the base spec's (none: constant). */
  schedule?: ScheduleKind;
  /** Decoupled weight decay (0 = off); absent keeps the base spec's. */
  weightDecay?: number;
  /** SGD with Nesterov momentum; absent keeps the base spec's. */
  nesterov?: boolean;
  /** Test-time augmentation; absent keeps the base spec's. */
  tta?: TtaKind;
  /** Fine-tuning: the folder of the run whose weights the new run starts from. Never remembered. */
  initFrom?: string;
  /** With initFrom: epochs that train only the classifier head. */
  freezeEpochs?: number;
  /** A folder dataset resized to this side: picked, suggested from its images, or the run fine-tuned from's. Never remembered. */
  imageSize?: number;
}

/** The validation split the wizard uses, as the CLI does by default. */
export const WIZARD_VAL_SPLIT = 0.1;

/** The starting answers: what the user chose last time where still valid, else the settings' defaults. */
export function initialChoices(defaults: TrainingDefaults, remembered: Partial<NewRunChoices> = {}): Omit<NewRunChoices, 'datasetPath'> & { datasetPath?: string } {
  return { ...defaults, loss: 'crossentropy', augment: [], ...remembered };
}

function positive(value: unknown, integer: boolean): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
}

/** The valid part of choices stored in workspace state (which a workspace could have tampered with). */
export function rememberedChoices(value: unknown): Partial<NewRunChoices> {
  if (!isRecord(value)) return {};
  const out: Partial<NewRunChoices> = {};
  if (typeof value.datasetPath === 'string' && isAbsolute(value.datasetPath)) out.datasetPath = value.datasetPath;
  if (isOneOf(value.model, MODEL_KINDS)) out.model = value.model;
  if (positive(value.epochs, true) && value.epochs <= 10_000) out.epochs = value.epochs;
  if (positive(value.batchSize, true) && value.batchSize <= 4096) out.batchSize = value.batchSize;
  if (positive(value.learningRate, false) && value.learningRate <= 10) out.learningRate = value.learningRate;
  if (isOneOf(value.optimizer, OPTIMIZER_KINDS)) out.optimizer = value.optimizer;
  if (isOneOf(value.loss, LOSS_KINDS)) out.loss = value.loss;
  if (Array.isArray(value.augment) && value.augment.every((kind) => isOneOf(kind, AUGMENT_KINDS))) out.augment = value.augment as AugmentKind[];
  if (out.model !== undefined && isRecord(value.modelOptions)) {
    const kind = out.model;
    const options = Object.entries(value.modelOptions).filter(([name, option]) => {
      const field = findModelOption(kind, name);
      return field !== undefined && isModelOptionValue(field, option);
    });
    if (options.length > 0 && modelOptionsProblem(kind, Object.fromEntries(options) as Record<string, ModelOptionValue>) === undefined) {
      out.modelOptions = Object.fromEntries(options) as Record<string, ModelOptionValue>;
    }
  }
  if (isOneOf(value.schedule, SCHEDULE_KINDS)) out.schedule = value.schedule;
  if (typeof value.weightDecay === 'number' && Number.isFinite(value.weightDecay) && value.weightDecay >= 0 && value.weightDecay < 1) out.weightDecay = value.weightDecay;
  if (typeof value.nesterov === 'boolean') out.nesterov = value.nesterov;
  if (isOneOf(value.tta, TTA_KINDS)) out.tta = value.tta;
  return out;
}

/** The augmentations a spec turns on, as the wizard's multi-select names them. */
export function augmentKinds(augment: AugmentSpec): AugmentKind[] {
  const kinds: AugmentKind[] = [];
  if (augment.flip) kinds.push('flip');
  if (augment.rotateDegrees > 0) kinds.push('rotate');
  if (augment.cropPadding > 0) kinds.push('crop');
  if (augment.brightness > 0 || augment.contrast > 0 || augment.saturation > 0) kinds.push('color');
  return kinds;
}

export function choicesFromSpec(spec: RunSpec): NewRunChoices {
  return {
    datasetPath: spec.data.path,
    model: spec.model.kind,
    epochs: spec.training.epochs,
    batchSize: spec.training.batchSize,
    learningRate: spec.training.learningRate,
    optimizer: spec.training.optimizer,
    loss: spec.training.loss,
    augment: augmentKinds(spec.augment),
    modelOptions: readModelOptions(spec.model),
    schedule: spec.training.schedule?.kind ?? 'constant',
    weightDecay: spec.training.weightDecay ?? 0,
    nesterov: spec.training.nesterov ?? false,
    tta: spec.training.testTimeAugmentation ?? 'none',
    ...(spec.training.initFrom !== undefined ? { initFrom: spec.training.initFrom, freezeEpochs: spec.training.freezeEpochs ?? 0 } : {}),
    ...(spec.training.initFrom !== undefined && spec.data.imageSize !== undefined ? { imageSize: spec.data.imageSize } : {}),
  };
}

/** The recipe answers (schedule, weight decay, Nesterov, TTA, fine-tuning) applied to `training`; absent answers keep its values. */
function applyRecipe(training: TrainingSpec, choices: NewRunChoices): TrainingSpec {
  const out: TrainingSpec = { ...training };
  if (choices.schedule !== undefined) {
    if (choices.schedule === 'constant') delete out.schedule;
    else if (out.schedule?.kind !== choices.schedule) out.schedule = defaultSchedule(choices.schedule);
  }
  // Weight decay works with adam and sgd, Nesterov momentum with sgd: answers given for another optimiser rest.
  if (choices.weightDecay !== undefined || out.optimizer === 'rmsprop') {
    if (choices.weightDecay && out.optimizer !== 'rmsprop') out.weightDecay = choices.weightDecay;
    else delete out.weightDecay;
  }
  if (choices.nesterov !== undefined || out.optimizer !== 'sgd') {
    if (choices.nesterov && out.optimizer === 'sgd') out.nesterov = true;
    else delete out.nesterov;
  }
  if (choices.tta !== undefined) {
    if (choices.tta === 'none') delete out.testTimeAugmentation;
    else out.testTimeAugmentation = choices.tta;
  }
  delete out.initFrom;
  delete out.freezeEpochs;
  if (choices.initFrom !== undefined) {
    out.initFrom = choices.initFrom;
    if (choices.freezeEpochs) out.freezeEpochs = choices.freezeEpochs;
  }
  return out;
}

/** Augmentation for the chosen kinds, keeping the base's strengths for kinds it already had on. */
function augmentFor(kinds: readonly AugmentKind[], base: AugmentSpec | undefined): AugmentSpec {
  const defaults = kinds.length > 0 ? parseAugmentList(kinds.join(',')) : noAugmentation();
  if (!base) return defaults;
  const keep = augmentKinds(base);
  const spec = { ...defaults };
  if (kinds.includes('rotate') && keep.includes('rotate')) spec.rotateDegrees = base.rotateDegrees;
  if (kinds.includes('crop') && keep.includes('crop')) spec.cropPadding = base.cropPadding;
  if (kinds.includes('color') && keep.includes('color')) {
    spec.brightness = base.brightness;
    spec.contrast = base.contrast;
    spec.saturation = base.saturation;
  }
  return spec;
}

/** The answers' model options that the chosen kind has (options of a kind chosen before are left out). */
function optionsOfKind(choices: NewRunChoices): Record<string, ModelOptionValue> {
  return Object.fromEntries(Object.entries(choices.modelOptions ?? {}).filter(([name]) => findModelOption(choices.model, name) !== undefined));
}

/**
 * The run spec for the answers. With a base spec (a rerun or a saved spec), everything the wizard
 * does not ask about (model options when the kind is unchanged, split, seed, limit, ...) is kept.
 * `strengths` (set in the augmentation preview) replace the base's for the augmentations chosen.
 * Throws a RunSpecError when a value is out of range.
 */
export function specFromChoices(choices: NewRunChoices, base?: RunSpec, strengths?: AugmentSpec): RunSpec {
  const training = base ? structuredClone(base.training) : defaultTrainingSpec();
  const sameDataset = base !== undefined && base.data.path === choices.datasetPath;
  const spec: RunSpec = {
    data: sameDataset
      ? structuredClone(base.data)
      : { path: choices.datasetPath, format: 'auto', valSplit: base?.data.valSplit ?? WIZARD_VAL_SPLIT, cifar100Labels: 'fine' },
    model: applyModelOptions(base && base.model.kind === choices.model ? structuredClone(base.model) : defaultModelSpec(choices.model), optionsOfKind(choices)),
    training: applyRecipe({
      ...training,
      epochs: choices.epochs,
      batchSize: choices.batchSize,
      learningRate: choices.learningRate,
      optimizer: choices.optimizer,
      loss: choices.loss,
    }, choices),
    augment: augmentFor(choices.augment, strengths ?? base?.augment),
  };
  if (choices.imageSize !== undefined) spec.data.imageSize = choices.imageSize;
  validateRunSpec(spec);
  return spec;
}

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

export function parseWholeNumber(text: string, what: string, min: number, max: number): Parsed {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    return { ok: false, message: `${what} must be a whole number from ${min} to ${max}.` };
  }
  return { ok: true, value };
}

export function parseLearningRate(text: string): Parsed {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 10) {
    return { ok: false, message: 'The learning rate must be a positive number no larger than 10, e.g. 0.001 or 1e-3.' };
  }
  return { ok: true, value };
}

function objectOr(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/**
 * A run spec from a saved JSON file: a RunSpec, or a run.json holding one under `spec`. Missing
 * fields get the defaults; a relative dataset path is taken relative to `baseDir` (the file's folder).
 * Throws with a message naming what is wrong.
 */
export function parseSavedRunSpec(value: unknown, baseDir: string): RunSpec {
  const outer = objectOr(value);
  const raw = 'spec' in outer && typeof outer.spec === 'object' ? objectOr(outer.spec) : outer;
  const data = objectOr(raw.data);
  if (typeof data.path !== 'string' || data.path.trim() === '') {
    throw new Error('The file is not a run spec: it has no "data.path" (the dataset folder).');
  }
  const model = objectOr(raw.model);
  const kind = model.kind ?? 'cnn';
  if (!isOneOf(kind, MODEL_KINDS)) throw new Error(`Unknown model "${String(kind)}": use one of ${MODEL_KINDS.join(', ')}.`);
  const defaults = defaultModelSpec(kind);
  const format = data.format ?? 'auto';
  if (!isOneOf(format, DATASET_FORMATS)) throw new Error(`Unknown dataset format "${String(format)}": use one of ${DATASET_FORMATS.join(', ')}.`);
  const spec = {
    data: { format, valSplit: WIZARD_VAL_SPLIT, cifar100Labels: 'fine', ...data, path: resolve(baseDir, data.path) },
    model: { kind, options: { ...defaults.options, ...objectOr(model.options) } },
    training: { ...defaultTrainingSpec(), ...objectOr(raw.training) },
    augment: { ...noAugmentation(), ...objectOr(raw.augment) },
  } as RunSpec;
  validateRunSpec(spec);
  return spec;
}

/** The model of `kind` with `options` set: undefined when they fit together, else the engine's message (`Model attention: embedDim (60) must be a multiple of heads (8).`). */
export function modelOptionsProblem(kind: ModelKind, options: Readonly<Record<string, ModelOptionValue>>): string | undefined {
  try {
    applyModelOptions(defaultModelSpec(kind), options);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** One option typed in the wizard, checked with the engine's message for --model-option (`Model option "layers" of rnn must be ...`). */
export function parseModelOptionInput(kind: ModelKind, name: string, text: string): { ok: true; value: ModelOptionValue } | { ok: false; message: string } {
  try {
    return { ok: true, value: parseModelOptionText(kind, `${name}=${text}`).value };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A model option's value as typed after --model-option: `64,64`, `0.25`, `gru`. */
export function modelOptionText(value: ModelOptionValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** What the Model options step lists for a kind: each option with its value now, whether it is the default, and what it accepts. */
export interface ModelOptionRow {
  field: ModelOptionField;
  value: string;
  isDefault: boolean;
  accepted: string;
}

export function modelOptionRows(kind: ModelKind, options: Readonly<Record<string, ModelOptionValue>>): ModelOptionRow[] {
  const defaults = readModelOptions(defaultModelSpec(kind));
  let current: Record<string, ModelOptionValue>;
  try {
    current = readModelOptions(applyModelOptions(defaultModelSpec(kind), options));
  } catch {
    current = { ...defaults, ...options };
  }
  return modelOptionFields(kind).map((field) => ({
    field,
    value: modelOptionText(current[field.name]),
    isDefault: modelOptionText(current[field.name]) === modelOptionText(defaults[field.name]),
    accepted: describeAccepted(field, 'comma'),
  }));
}

