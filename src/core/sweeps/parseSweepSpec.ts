// Checks a sweep spec read from JSON and names the bad field (`space.learningRate.min`, `base.epochs`) in
// one message, before any trial or folder exists. Every value in the space is tried against the base, so
// a trial never fails for a value the spec could have been told about.
import { statSync } from 'node:fs';
import { checkModelOptionValue, findModelOption } from '../models/modelOptions';
import { MODEL_KINDS, type ModelKind } from '../runSpec';
import {
  MODEL_OPTION_PREFIX, TRAIN_OPTIONS, TrainOptionError, isSettableOption, runSpecFromTrainOptions, withChanges,
  type TrainOptionName, type TrainOptionValue,
} from '../trainOptions';
import { gridSize, gridValues, MAX_ENUMERATED_INTEGERS } from './searchSpace';
import {
  DEFAULT_REDUCTION, SWEEP_METHODS, SWEEP_METRICS,
  type ParamRange, type SpaceEntry, type SweepMethod, type SweepMetric, type SweepSpec,
} from './sweepSpec';
import { errorMessage } from '../errorMessage';

/** A sweep spec that cannot work: `field` is the JSON path of the bad value (`space.batchSize[2]`). */
export class SweepSpecError extends Error {
  override readonly name = 'SweepSpecError';

  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

const TOP_LEVEL = ['name', 'base', 'method', 'trials', 'budgetMinutes', 'metric', 'seed', 'space', 'reduction'];
/** Options a sweep holds fixed: they choose the data, not how to learn it. */
const NOT_SEARCHABLE = new Set(['data', 'format', 'cifar100Labels']);
const MAX_TRIALS = 10_000;
const MAX_LIST = 1_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** Whether a searched parameter takes whole numbers, real numbers, or neither (names, lists). */
function numericKind(name: string, kinds: readonly ModelKind[]): 'integer' | 'number' | undefined {
  if (name.startsWith(MODEL_OPTION_PREFIX)) {
    const field = findModelOption(kinds[0], name.slice(MODEL_OPTION_PREFIX.length));
    return field?.type === 'integer' ? 'integer' : field?.type === 'number' ? 'number' : undefined;
  }
  const kind = TRAIN_OPTIONS[name as TrainOptionName].kind;
  return kind === 'integer' || kind === 'number' ? kind : undefined;
}

/**
 * Builds the run spec of base + { name: value }; a problem is reported at `field`. A model option's value
 * is checked against the option alone: whether it fits the others (heads dividing embedDim) depends on
 * the values they get in each trial, and a trial whose combination cannot work fails on its own.
 */
function tryValue(base: Record<string, unknown>, baseDir: string, name: string, value: unknown, field: string): void {
  try {
    if (name.startsWith(MODEL_OPTION_PREFIX)) checkModelOptionValue(base.model as ModelKind, name.slice(MODEL_OPTION_PREFIX.length), value);
    else runSpecFromTrainOptions(withChanges(base, { [name]: value }), baseDir);
  } catch (error) {
    throw new SweepSpecError(field, errorMessage(error));
  }
}

function parseRange(name: string, raw: Record<string, unknown>, numeric: 'integer' | 'number' | undefined, method: SweepMethod, field: string): ParamRange {
  for (const key of Object.keys(raw)) {
    if (!['min', 'max', 'log', 'integer', 'steps'].includes(key)) {
      throw new SweepSpecError(`${field}.${key}`, 'unknown range field: a range has min, max, log, integer (and steps for grid).');
    }
  }
  if (numeric === undefined) throw new SweepSpecError(field, `${name} takes names or lists, not a numeric range: give a list of values.`);
  const { min, max } = raw;
  if (typeof min !== 'number' || !Number.isFinite(min)) throw new SweepSpecError(`${field}.min`, `must be a number (got ${shown(min)}).`);
  if (typeof max !== 'number' || !Number.isFinite(max)) throw new SweepSpecError(`${field}.max`, `must be a number (got ${shown(max)}).`);
  if (!(min < max)) throw new SweepSpecError(`${field}.max`, `must be larger than min (${min}) (got ${max}).`);
  if (raw.log !== undefined && typeof raw.log !== 'boolean') throw new SweepSpecError(`${field}.log`, `must be true or false (got ${shown(raw.log)}).`);
  if (raw.integer !== undefined && typeof raw.integer !== 'boolean') throw new SweepSpecError(`${field}.integer`, `must be true or false (got ${shown(raw.integer)}).`);
  const log = raw.log === true;
  if (log && min <= 0) throw new SweepSpecError(`${field}.min`, `a log range needs min > 0 (got ${min}).`);
  if (numeric === 'integer' && raw.integer === false) {
    throw new SweepSpecError(`${field}.integer`, `${name} takes whole numbers: leave integer out or set it to true.`);
  }
  const integer = raw.integer === true || numeric === 'integer';
  if (integer && (!isWhole(min) || !isWhole(max))) {
    throw new SweepSpecError(isWhole(min) ? `${field}.max` : `${field}.min`, `an integer range needs whole-number ends (got ${isWhole(min) ? max : min}).`);
  }
  const range: ParamRange = { min, max, log, integer };
  if (raw.steps !== undefined) {
    if (method !== 'grid') throw new SweepSpecError(`${field}.steps`, 'steps applies to grid sweeps only; random and halving draw from the whole range.');
    if (!isWhole(raw.steps) || raw.steps < 2 || raw.steps > MAX_LIST) {
      throw new SweepSpecError(`${field}.steps`, `must be a whole number from 2 to ${MAX_LIST} (got ${shown(raw.steps)}).`);
    }
    range.steps = raw.steps;
  } else if (method === 'grid' && gridValues(range) === undefined) {
    throw new SweepSpecError(field, integer
      ? `a grid enumerates at most ${MAX_ENUMERATED_INTEGERS} whole numbers: add "steps": N, or give a list of values.`
      : 'a grid needs a list of values, or "steps": N to take N values from the range.');
  }
  return range;
}

/** The model kinds trials can have: the space's list, or the base's kind. */
function modelKinds(base: Record<string, unknown>, rawSpace: Record<string, unknown>): ModelKind[] {
  const listed = rawSpace.model;
  if (Array.isArray(listed)) {
    return listed.filter((kind): kind is ModelKind => typeof kind === 'string' && (MODEL_KINDS as readonly string[]).includes(kind));
  }
  return [(typeof base.model === 'string' ? base.model : 'cnn') as ModelKind];
}

/** The bases a value is tried on: for a model option, the base with each model kind the sweep trains. */
function probes(base: Record<string, unknown>, name: string, kinds: readonly ModelKind[]): Record<string, unknown>[] {
  return name.startsWith(MODEL_OPTION_PREFIX) ? kinds.map((kind) => ({ ...base, model: kind })) : [base];
}

function parseSpace(raw: unknown, base: Record<string, unknown>, baseDir: string, method: SweepMethod): Record<string, SpaceEntry> {
  if (!isObject(raw)) throw new SweepSpecError('space', 'must be an object of parameter name -> list of values or {"min", "max", "log", "integer"}.');
  const names = Object.keys(raw);
  if (names.length === 0) throw new SweepSpecError('space', 'is empty: name at least one parameter to search, e.g. "learningRate": {"min": 0.0001, "max": 0.01, "log": true}.');
  const kinds = modelKinds(base, raw);
  const space: Record<string, SpaceEntry> = {};
  // The model kind first: the other entries are checked against every kind it can take.
  for (const name of [...names].sort((a, b) => Number(b === 'model') - Number(a === 'model'))) {
    const field = `space.${name}`;
    const entry = raw[name];
    if (!isSettableOption(name)) {
      throw new SweepSpecError(field, `unknown parameter: use a train option (${Object.keys(TRAIN_OPTIONS).filter((n) => n !== 'modelOptions' && !NOT_SEARCHABLE.has(n)).join(', ')}) or model.<option>.`);
    }
    if (NOT_SEARCHABLE.has(name)) throw new SweepSpecError(field, `${name} cannot be searched: set it in base.`);
    if (name === 'epochs' && method === 'halving') {
      throw new SweepSpecError(field, 'halving chooses each rung\'s epochs itself (from base.epochs): remove epochs from the space.');
    }
    if (name.startsWith(MODEL_OPTION_PREFIX)) {
      const option = name.slice(MODEL_OPTION_PREFIX.length);
      const without = kinds.find((kind) => findModelOption(kind, option) === undefined);
      if (without) throw new SweepSpecError(field, `model ${without} has no option "${option}": a model option must apply to every model the sweep trains.`);
    }
    if (Array.isArray(entry)) {
      if (entry.length === 0 || entry.length > MAX_LIST) throw new SweepSpecError(field, `a list needs 1 to ${MAX_LIST} values (got ${entry.length}).`);
      entry.forEach((value, i) => {
        for (const probe of probes(base, name, kinds)) tryValue(probe, baseDir, name, value, `${field}[${i}]`);
      });
      space[name] = entry as TrainOptionValue[];
    } else if (isObject(entry)) {
      const range = parseRange(name, entry, numericKind(name, kinds), method, field);
      for (const probe of probes(base, name, kinds)) {
        tryValue(probe, baseDir, name, range.min, `${field}.min`);
        tryValue(probe, baseDir, name, range.max, `${field}.max`);
      }
      space[name] = range;
    } else {
      throw new SweepSpecError(field, `must be a list of values or a range {"min", "max", "log", "integer"} (got ${shown(entry)}).`);
    }
  }
  // Keep the spec's order: it is the grid's loop order.
  return Object.fromEntries(names.map((name) => [name, space[name]]));
}

/**
 * A checked SweepSpec from parsed JSON. `baseDir` is the folder relative paths in `base` are taken from
 * (the spec file's folder); `base.data` comes back absolute. Throws a SweepSpecError naming the field.
 */
export function parseSweepSpec(raw: unknown, baseDir: string): SweepSpec {
  if (!isObject(raw)) throw new SweepSpecError('(spec)', 'a sweep spec is a JSON object: {"name", "base", "method", "trials", "budgetMinutes", "metric", "seed", "space"}.');
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL.includes(key)) throw new SweepSpecError(key, `unknown field: a sweep spec has ${TOP_LEVEL.join(', ')}.`);
  }
  const { name } = raw;
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 200) {
    throw new SweepSpecError('name', `must be a non-empty string of at most 200 characters (got ${shown(name)}).`);
  }
  if (!isObject(raw.base)) throw new SweepSpecError('base', 'must be an object of train options, e.g. {"data": "data/digits", "epochs": 3}.');
  const base: Record<string, unknown> = { ...raw.base };
  let absoluteData: string;
  try {
    absoluteData = runSpecFromTrainOptions(base, baseDir).data.path;
  } catch (error) {
    const option = error instanceof TrainOptionError && error.option ? `.${error.option}` : '';
    throw new SweepSpecError(`base${option}`, errorMessage(error));
  }
  if (!statSync(absoluteData, { throwIfNoEntry: false })?.isDirectory()) {
    throw new SweepSpecError('base.data', `no dataset folder at ${absoluteData} (relative paths are taken from the spec file's folder).`);
  }
  base.data = absoluteData;

  const method = raw.method;
  if (typeof method !== 'string' || !(SWEEP_METHODS as readonly string[]).includes(method)) {
    throw new SweepSpecError('method', `must be one of ${SWEEP_METHODS.join(', ')} (got ${shown(method)}).`);
  }
  const spec: SweepSpec = { name: name.trim(), base, method: method as SweepMethod, metric: 'valAcc', seed: 0, space: {} };

  if (raw.trials !== undefined) {
    if (!isWhole(raw.trials) || raw.trials < 1 || raw.trials > MAX_TRIALS) {
      throw new SweepSpecError('trials', `must be a whole number from 1 to ${MAX_TRIALS} (got ${shown(raw.trials)}).`);
    }
    spec.trials = raw.trials;
  }
  if (raw.budgetMinutes !== undefined) {
    if (typeof raw.budgetMinutes !== 'number' || !Number.isFinite(raw.budgetMinutes) || raw.budgetMinutes <= 0) {
      throw new SweepSpecError('budgetMinutes', `must be a number of minutes above 0 (got ${shown(raw.budgetMinutes)}).`);
    }
    spec.budgetMinutes = raw.budgetMinutes;
  }
  if (raw.metric !== undefined) {
    if (typeof raw.metric !== 'string' || !(SWEEP_METRICS as readonly string[]).includes(raw.metric)) {
      throw new SweepSpecError('metric', `must be one of ${SWEEP_METRICS.join(', ')} (got ${shown(raw.metric)}).`);
    }
    spec.metric = raw.metric as SweepMetric;
  }
  if (raw.seed !== undefined) {
    if (!isWhole(raw.seed) || raw.seed < 0 || raw.seed > 0xffffffff) {
      throw new SweepSpecError('seed', `must be a whole number from 0 to 4294967295 (got ${shown(raw.seed)}).`);
    }
    spec.seed = raw.seed;
  }
  if (raw.reduction !== undefined) {
    if (spec.method !== 'halving') throw new SweepSpecError('reduction', 'applies to halving sweeps only.');
    if (!isWhole(raw.reduction) || raw.reduction < 2 || raw.reduction > 10) {
      throw new SweepSpecError('reduction', `must be a whole number from 2 to 10 (got ${shown(raw.reduction)}).`);
    }
    spec.reduction = raw.reduction;
  }
  if (isObject(raw.space) && Array.isArray(raw.space.model) && base.modelOptions !== undefined) {
    // The base's model options go to every trial, so they must apply to every model the space lists.
    for (const kind of modelKinds(base, raw.space)) tryValue(base, baseDir, 'model', kind, 'base.modelOptions');
  }
  spec.space = parseSpace(raw.space, base, baseDir, spec.method);

  if (spec.method === 'random' && spec.trials === undefined && spec.budgetMinutes === undefined) {
    throw new SweepSpecError('trials', 'a random sweep needs a budget: give trials, budgetMinutes, or both.');
  }
  if (spec.method === 'halving') {
    if (spec.trials === undefined) throw new SweepSpecError('trials', 'a halving sweep needs trials: how many configurations its first rung tries.');
    const reduction = spec.reduction ?? DEFAULT_REDUCTION;
    if (spec.trials < reduction) {
      throw new SweepSpecError('trials', `halving keeps the best 1/${reduction} of each rung: it needs at least ${reduction} trials (got ${spec.trials}).`);
    }
    const epochs = runSpecFromTrainOptions(base, baseDir).training.epochs;
    if (epochs < reduction) {
      throw new SweepSpecError('base.epochs', `halving trains its last rung for base.epochs and each earlier rung 1/${reduction} as long: ` +
        `base.epochs must be at least ${reduction} (got ${epochs}).`);
    }
  }
  if (spec.method === 'grid' && gridSize(spec.space) > MAX_TRIALS) {
    throw new SweepSpecError('space', `the grid has ${gridSize(spec.space)} points; at most ${MAX_TRIALS}: use fewer values or a random sweep.`);
  }
  return spec;
}
