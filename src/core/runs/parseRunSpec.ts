// Checks a run spec read from disk to its full depth: every field a reader, a rerun or a resume uses has
// its type, or the first one that does not is named. Ranges are the trainer's business (validateRunSpec).
import {
  DATASET_FORMATS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS, SCHEDULE_KINDS, TTA_KINDS,
  type AugmentSpec, type DataSpec, type ModelSpec, type RunSpec, type ScheduleSpec, type TrainingSpec,
} from '../runSpec';
import { isFiniteNumber, isObject, isOneOf, isString, isWholeNumber, type JsonObject } from './jsonGuards';

export type ParsedRunSpec = { ok: true; spec: RunSpec } | { ok: false; reason: string };

/** Thrown inside the parser only, to stop at the first bad field. */
class BadField extends Error {}

function field(object: JsonObject, key: string, path: string, check: (v: unknown) => boolean, expected: string): unknown {
  const value = object[key];
  if (!check(value)) {
    throw new BadField(`${path}.${key} ${value === undefined ? 'is missing' : `is ${JSON.stringify(value)?.slice(0, 40) ?? typeof value}`}; expected ${expected}`);
  }
  return value;
}

function objectAt(object: JsonObject, key: string, path: string): JsonObject {
  return field(object, key, path, isObject, 'an object') as JsonObject;
}

const number = (o: JsonObject, k: string, p: string) => field(o, k, p, isFiniteNumber, 'a number') as number;
const whole = (o: JsonObject, k: string, p: string, min = 0) =>
  field(o, k, p, (v) => isWholeNumber(v, min), `a whole number of at least ${min}`) as number;
const wholeList = (o: JsonObject, k: string, p: string, min = 1) =>
  field(o, k, p, (v) => Array.isArray(v) && v.length > 0 && v.every((x) => isWholeNumber(x, min)),
    `a list of whole numbers of at least ${min}`) as number[];
const numberList = (o: JsonObject, k: string, p: string) =>
  field(o, k, p, (v) => Array.isArray(v) && v.every(isFiniteNumber), 'a list of numbers') as number[];

function parseData(raw: JsonObject): DataSpec {
  const p = 'spec.data';
  const data: DataSpec = {
    path: field(raw, 'path', p, (v) => isString(v) && v.length > 0, 'a folder path') as string,
    format: field(raw, 'format', p, (v) => isOneOf(v, DATASET_FORMATS), DATASET_FORMATS.join('|')) as DataSpec['format'],
    valSplit: number(raw, 'valSplit', p),
    cifar100Labels: raw.cifar100Labels === undefined ? 'fine'
      : field(raw, 'cifar100Labels', p, (v) => v === 'fine' || v === 'coarse', 'fine|coarse') as DataSpec['cifar100Labels'],
  };
  if (raw.imageSize !== undefined) data.imageSize = whole(raw, 'imageSize', p, 1);
  if (raw.limit !== undefined) data.limit = whole(raw, 'limit', p, 1);
  return data;
}

function parseModel(raw: JsonObject): ModelSpec {
  const p = 'spec.model';
  const kind = field(raw, 'kind', p, (v) => isOneOf(v, MODEL_KINDS), MODEL_KINDS.join('|')) as ModelSpec['kind'];
  const options = objectAt(raw, 'options', p);
  const o = `${p}.options`;
  switch (kind) {
    case 'cnn':
      return { kind, options: { filters: wholeList(options, 'filters', o), denseUnits: whole(options, 'denseUnits', o, 1), dropout: number(options, 'dropout', o) } };
    case 'rnn':
      return {
        kind,
        options: {
          cell: field(options, 'cell', o, (v) => v === 'lstm' || v === 'gru', 'lstm|gru') as 'lstm' | 'gru',
          units: wholeList(options, 'units', o),
          dropout: number(options, 'dropout', o),
        },
      };
    case 'attention':
      return {
        kind,
        options: {
          patchSize: whole(options, 'patchSize', o, 1), embedDim: whole(options, 'embedDim', o, 1), depth: whole(options, 'depth', o, 1),
          heads: whole(options, 'heads', o, 1), mlpDim: whole(options, 'mlpDim', o, 1), dropout: number(options, 'dropout', o),
        },
      };
    case 'resnet':
      return {
        kind,
        options: {
          stemWidth: whole(options, 'stemWidth', o, 1), widths: wholeList(options, 'widths', o), blocks: wholeList(options, 'blocks', o, 0),
          headScale: number(options, 'headScale', o), bnMomentum: number(options, 'bnMomentum', o),
        },
      };
  }
}

function parseSchedule(raw: JsonObject): ScheduleSpec {
  const p = 'spec.training.schedule';
  return {
    kind: field(raw, 'kind', p, (v) => isOneOf(v, SCHEDULE_KINDS), SCHEDULE_KINDS.join('|')) as ScheduleSpec['kind'],
    warmup: number(raw, 'warmup', p),
    initialFactor: number(raw, 'initialFactor', p),
    finalFactor: number(raw, 'finalFactor', p),
    milestones: numberList(raw, 'milestones', p),
    gamma: number(raw, 'gamma', p),
  };
}

function parseTraining(raw: JsonObject): TrainingSpec {
  const p = 'spec.training';
  // Fields added after the first runs were written: absent in old runs, checked when present.
  const optional: Partial<TrainingSpec> = {};
  if (raw.schedule !== undefined) optional.schedule = parseSchedule(objectAt(raw, 'schedule', p));
  if (raw.weightDecay !== undefined) optional.weightDecay = number(raw, 'weightDecay', p);
  if (raw.nesterov !== undefined) optional.nesterov = field(raw, 'nesterov', p, (v) => typeof v === 'boolean', 'true or false') as boolean;
  if (raw.testTimeAugmentation !== undefined) {
    optional.testTimeAugmentation = field(raw, 'testTimeAugmentation', p, (v) => isOneOf(v, TTA_KINDS), TTA_KINDS.join('|')) as TrainingSpec['testTimeAugmentation'];
  }
  if (raw.initFrom !== undefined) optional.initFrom = field(raw, 'initFrom', p, (v) => isString(v) && v.length > 0, 'a run folder path') as string;
  if (raw.freezeEpochs !== undefined) optional.freezeEpochs = whole(raw, 'freezeEpochs', p);
  return {
    ...optional,
    epochs: whole(raw, 'epochs', p, 1),
    batchSize: whole(raw, 'batchSize', p, 1),
    learningRate: number(raw, 'learningRate', p),
    optimizer: field(raw, 'optimizer', p, (v) => isOneOf(v, OPTIMIZER_KINDS), OPTIMIZER_KINDS.join('|')) as TrainingSpec['optimizer'],
    momentum: number(raw, 'momentum', p),
    loss: field(raw, 'loss', p, (v) => isOneOf(v, LOSS_KINDS), LOSS_KINDS.join('|')) as TrainingSpec['loss'],
    labelSmoothing: number(raw, 'labelSmoothing', p),
    earlyStoppingPatience: whole(raw, 'earlyStoppingPatience', p),
    seed: whole(raw, 'seed', p),
  };
}

function parseAugment(raw: JsonObject): AugmentSpec {
  const p = 'spec.augment';
  return {
    flip: field(raw, 'flip', p, (v) => typeof v === 'boolean', 'true or false') as boolean,
    rotateDegrees: number(raw, 'rotateDegrees', p),
    cropPadding: whole(raw, 'cropPadding', p),
    brightness: number(raw, 'brightness', p),
    contrast: number(raw, 'contrast', p),
    saturation: number(raw, 'saturation', p),
  };
}

/**
 * The spec with exactly the fields a RunSpec has (unknown ones dropped), or the first field that is missing
 * or of the wrong type, as `spec.training.batchSize is "64"; expected a whole number of at least 1`.
 */
export function parseRunSpec(raw: unknown): ParsedRunSpec {
  try {
    if (!isObject(raw)) throw new BadField('spec is missing or not an object');
    const spec: RunSpec = {
      data: parseData(objectAt(raw, 'data', 'spec')),
      model: parseModel(objectAt(raw, 'model', 'spec')),
      training: parseTraining(objectAt(raw, 'training', 'spec')),
      augment: parseAugment(objectAt(raw, 'augment', 'spec')),
    };
    return { ok: true, spec };
  } catch (error) {
    if (error instanceof BadField) return { ok: false, reason: error.message };
    throw error;
  }
}
