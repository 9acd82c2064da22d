// The answers of the New Sweep picker and how they become a sweep spec: the parameters it offers to search
// (with suggested values around the base run), the values typed for each (`0.0001..0.01 log`, `32, 64`),
// the budget (`12 trials, 20 min`), all checked by the engine's own spec parser so a message names the
// field as `classifier-lab sweep` would. No VS Code API here.
import { datasetLabel } from '../../core/runs/defaultRunName';
import { modelOptionFields, type ModelOptionField } from '../../core/models/modelOptions';
import { MODEL_KINDS, OPTIMIZER_KINDS, type RunSpec } from '../../core/runSpec';
import { parseSweepSpec } from '../../core/sweeps/parseSweepSpec';
import { isRange, type SpaceEntry, type SweepMethod, type SweepMetric, type SweepSpec } from '../../core/sweeps/sweepSpec';
import { MODEL_OPTION_PREFIX, trainOptionsFromRunSpec, type TrainOptionValue } from '../../core/trainOptions';
import { errorMessage } from '../../core/errorMessage';

/** A parameter the picker offers to search, with the values it suggests. */
export interface SearchCandidate {
  /** As a sweep spec names it: `learningRate`, `model.units`. */
  name: string;
  description: string;
  /** Suggested values, as the values step takes them. */
  suggestion: string;
}

function round(value: number): number {
  return Number(value.toPrecision(2));
}

function modelOptionSuggestion(field: ModelOptionField, current: unknown): string {
  switch (field.type) {
    case 'choice':
      return field.choices.join(', ');
    case 'number':
      return field.name === 'dropout' ? '0..0.5' : `${field.min}..${field.maxExclusive ? round(field.max * 0.9) : field.max}`;
    case 'integer': {
      const value = typeof current === 'number' ? current : field.min;
      const low = Math.max(field.min, Math.floor(value / 2));
      const high = Math.min(field.max, Math.max(low + 1, value * 2));
      return high / Math.max(1, low) >= 8 ? `${low}..${high} log` : `${low}..${high}`;
    }
    case 'integerList': {
      const first = Array.isArray(current) && typeof current[0] === 'number' ? current[0] : field.min;
      return [Math.max(field.min, Math.round(first / 2)), first, Math.min(field.max, first * 2)].filter((v, i, all) => all.indexOf(v) === i).join(', ');
    }
  }
}

/** The parameters worth searching for a base run, in the order the picker lists them. */
export function searchCandidates(base: RunSpec, method: SweepMethod): SearchCandidate[] {
  const { training, model } = base;
  const rate = training.learningRate;
  const candidates: SearchCandidate[] = [
    { name: 'learningRate', description: 'step size of the optimiser', suggestion: `${round(rate / 10)}..${round(Math.min(10, rate * 10))} log` },
    { name: 'batchSize', description: 'images per training step', suggestion: [...new Set([Math.max(1, training.batchSize / 2), training.batchSize, training.batchSize * 2])].join(', ') },
    { name: 'optimizer', description: 'adam, sgd (momentum) or rmsprop', suggestion: OPTIMIZER_KINDS.join(', ') },
    { name: 'augment', description: 'training-time augmentation; + combines kinds', suggestion: 'none, crop, flip+crop' },
    ...(method === 'halving' ? [] : [{ name: 'epochs', description: 'passes over the training images', suggestion: `${training.epochs}, ${training.epochs * 2}` }]),
    { name: 'labelSmoothing', description: 'cross-entropy label smoothing', suggestion: '0, 0.1' },
    { name: 'momentum', description: 'momentum of sgd (other optimisers ignore it)', suggestion: '0.5..0.99' },
    { name: 'patience', description: 'early stopping after this many epochs without progress (0: never)', suggestion: '0, 3' },
    { name: 'model', description: 'the architecture (its options then start from each kind\'s defaults)', suggestion: MODEL_KINDS.join(', ') },
  ];
  const current = model.options as unknown as Record<string, unknown>;
  for (const field of modelOptionFields(model.kind)) {
    // `layers` is read from the list options (filters, units); the list's own value counts.
    const value = field.name === 'layers' ? (current.filters as number[] | undefined ?? current.units as number[] | undefined)?.length : current[field.name];
    candidates.push({ name: `${MODEL_OPTION_PREFIX}${field.name}`, description: `${model.kind} model: ${field.description}`, suggestion: modelOptionSuggestion(field, value) });
  }
  return candidates;
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?`;
const RANGE = new RegExp(String.raw`^(${NUMBER})\s*(?:\.\.|to)\s*(${NUMBER})((?:\s+(?:log|steps?\s*=?\s*\d+))*)$`, 'i');

function listValue(text: string, name: string): TrainOptionValue {
  const item = text.trim();
  if (item.includes('+')) {
    const parts = item.split('+').map((part) => part.trim()).filter((part) => part.length > 0);
    // `flip+crop` is one augmentation; `64+64` one list value (two layers of 64).
    if (parts.every((part) => new RegExp(`^${NUMBER}$`, 'i').test(part)) && name.startsWith(MODEL_OPTION_PREFIX)) return parts.map(Number);
    return parts.join(',');
  }
  if (new RegExp(`^${NUMBER}$`, 'i').test(item)) return Number(item);
  if (item === 'true' || item === 'false') return item === 'true';
  return item;
}

/**
 * The values typed for one parameter: a range `min..max` (`log` for log space, `steps N` for a grid), a
 * list `a, b, c` (`+` joins kinds into one value: `flip+crop`, `64+64`), or JSON as a spec file holds it.
 * Throws an Error saying what it expected.
 */
export function parseSpaceText(text: string, name: string): SpaceEntry {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('Give values to search: a list like 32, 64 or a range like 0.0001..0.01 log.');
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as SpaceEntry;
    } catch (error) {
      throw new Error(`Not valid JSON: ${errorMessage(error)}`);
    }
  }
  const range = RANGE.exec(trimmed);
  if (range) {
    const words = range[3].toLowerCase();
    const steps = /steps?\s*=?\s*(\d+)/.exec(words);
    return { min: Number(range[1]), max: Number(range[2]), ...(/\blog\b/.test(words) ? { log: true } : {}), ...(steps ? { steps: Number(steps[1]) } : {}) };
  }
  if (trimmed.includes('..')) throw new Error('A range is min..max, then optionally "log" and "steps N", e.g. 0.0001..0.01 log.');
  const items = trimmed.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new Error('An empty value in the list: separate values with commas, e.g. 32, 64, 128.');
  return items.map((item) => listValue(item, name));
}

/** A space entry as the values step shows it (the inverse of parseSpaceText). */
export function spaceEntryText(entry: SpaceEntry): string {
  if (isRange(entry)) return `${entry.min}..${entry.max}${entry.log ? ' log' : ''}${entry.steps !== undefined ? ` steps ${entry.steps}` : ''}`;
  return entry.map((value) => (Array.isArray(value) ? value.join('+') : typeof value === 'string' ? value.split(',').join('+') : String(value))).join(', ');
}

/** `12`, `12 trials`, `20 min`, `12 trials, 20 min`, `1.5 h`: how many trials and/or how long. */
export function parseBudget(text: string): { trials?: number; budgetMinutes?: number } {
  const budget: { trials?: number; budgetMinutes?: number } = {};
  const parts = text.split(/[,;]|\band\b/).map((part) => part.trim().toLowerCase()).filter((part) => part.length > 0);
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)\s*(trials?|t|minutes?|mins?|m|hours?|h)?$/.exec(part);
    if (!match) throw new Error(`"${part}" is not a budget: write a number of trials and/or a time, e.g. 12 trials, 20 min.`);
    const value = Number(match[1]);
    const unit = match[2] ?? 'trials';
    if (unit.startsWith('t')) {
      if (!Number.isInteger(value) || value < 1) throw new Error('The number of trials must be a whole number of at least 1.');
      budget.trials = value;
    } else {
      const minutes = unit.startsWith('h') ? value * 60 : value;
      if (!(minutes > 0)) throw new Error('The time budget must be above 0.');
      budget.budgetMinutes = minutes;
    }
  }
  return budget;
}

/** `12 trials, 20 min` from a budget. */
export function budgetText(budget: { trials?: number; budgetMinutes?: number }): string {
  return [budget.trials !== undefined ? `${budget.trials} trials` : undefined, budget.budgetMinutes !== undefined ? `${budget.budgetMinutes} min` : undefined]
    .filter((part) => part !== undefined).join(', ');
}

export interface SweepAnswers {
  name: string;
  /** The base run as the run settings' steps answered it. */
  base: RunSpec;
  /** Training images each trial uses at most (undefined: all). */
  limit?: number;
  method: SweepMethod;
  space: Record<string, SpaceEntry>;
  trials?: number;
  budgetMinutes?: number;
  metric: SweepMetric;
  seed?: number;
}

/** The sweep spec as a JSON file would hold it: the base run by train option names. */
export function rawSweepSpec(answers: SweepAnswers): Record<string, unknown> {
  const base: Record<string, unknown> = { ...trainOptionsFromRunSpec(answers.base) };
  if (answers.limit !== undefined) base.limit = answers.limit;
  // Trials of other model kinds start from their own defaults: the base kind's options would not apply.
  if (answers.space.model !== undefined) delete base.modelOptions;
  return {
    name: answers.name, base, method: answers.method, metric: answers.metric, seed: answers.seed ?? 0, space: answers.space,
    ...(answers.trials !== undefined ? { trials: answers.trials } : {}),
    ...(answers.budgetMinutes !== undefined ? { budgetMinutes: answers.budgetMinutes } : {}),
  };
}

/** The checked spec for the answers; throws the engine's SweepSpecError naming the field. */
export function sweepSpecFromAnswers(answers: SweepAnswers): SweepSpec {
  return parseSweepSpec(rawSweepSpec(answers), '/');
}

/**
 * Why one parameter's values cannot be searched (the engine's message naming the field), or undefined.
 * Checked alone against the base, so the budget asked later does not get in the way.
 */
export function spaceEntryProblem(answers: Pick<SweepAnswers, 'base' | 'limit' | 'method'>, name: string, entry: SpaceEntry): string | undefined {
  try {
    parseSweepSpec(rawSweepSpec({
      ...answers, name: 'check', metric: 'valAcc', space: { [name]: entry },
      method: answers.method === 'grid' ? 'grid' : 'random', trials: 1,
    }), '/');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A name for the sweep: the dataset and what it searches, `mnist-digits: learningRate, batchSize`. */
export function defaultSweepName(base: RunSpec, params: readonly string[]): string {
  const searched = params.length > 3 ? `${params.slice(0, 3).join(', ')} and ${params.length - 3} more` : params.join(', ');
  return `${datasetLabel(base.data.path)}: ${searched || 'sweep'}`;
}
