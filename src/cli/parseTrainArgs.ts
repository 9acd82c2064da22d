// `classifier-lab train` arguments -> a validated RunSpec plus the run's place on disk.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { noAugmentation, parseAugmentList } from '../core/data/augment';
import { defaultModelSpec } from '../core/models/defaultModelSpecs';
import {
  DATASET_FORMATS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS,
  type DatasetFormat, type LossKind, type ModelKind, type OptimizerKind, type RunSpec,
} from '../core/runSpec';
import { defaultTrainingSpec, validateRunSpec } from '../core/runSpecDefaults';
import { cleanName } from '../core/runs/runStore';
import { UsageError } from './usageError';

export interface TrainCommand {
  spec: RunSpec;
  runsDir: string;
  name?: string;
  json: boolean;
  backend: 'auto' | 'native' | 'wasm';
}

export const DEFAULT_RUNS_DIR = '.classifier-lab/runs';

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}").`);
  }
  return value as T;
}

function numberFlag(flag: string, value: string | undefined, fallback: number, integer: boolean): number;
function numberFlag(flag: string, value: string | undefined, fallback: undefined, integer: boolean): number | undefined;
function numberFlag(flag: string, value: string | undefined, fallback: number | undefined, integer: boolean): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`--${flag} needs ${integer ? 'a whole number' : 'a number'} (got "${value}").`);
  }
  return parsed;
}

function parseAugmentFlag(list: string) {
  try {
    return parseAugmentList(list);
  } catch (error) {
    throw new UsageError(`--augment: ${(error as Error).message}`);
  }
}

export function parseTrainArgs(args: string[], cwd = process.cwd()): TrainCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        format: { type: 'string' },
        model: { type: 'string' },
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        'learning-rate': { type: 'string' },
        optimizer: { type: 'string' },
        momentum: { type: 'string' },
        loss: { type: 'string' },
        'label-smoothing': { type: 'string' },
        augment: { type: 'string' },
        'image-size': { type: 'string' },
        'val-split': { type: 'string' },
        limit: { type: 'string' },
        seed: { type: 'string' },
        patience: { type: 'string' },
        'cifar100-labels': { type: 'string' },
        'runs-dir': { type: 'string' },
        name: { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const str = (key: string) => values[key] as string | undefined;
  if (!str('data')) throw new UsageError('train needs --data PATH (a folder of class sub-folders, CIFAR batches or IDX files).');
  const defaults = defaultTrainingSpec();
  const kind = oneOf<ModelKind>('model', str('model'), MODEL_KINDS, 'cnn');
  const spec: RunSpec = {
    data: {
      path: resolve(cwd, str('data')!),
      format: oneOf<DatasetFormat>('format', str('format'), DATASET_FORMATS, 'auto'),
      imageSize: numberFlag('image-size', str('image-size'), undefined, true),
      valSplit: numberFlag('val-split', str('val-split'), 0.1, false),
      limit: numberFlag('limit', str('limit'), undefined, true),
      cifar100Labels: oneOf('cifar100-labels', str('cifar100-labels'), ['fine', 'coarse'] as const, 'fine'),
    },
    model: defaultModelSpec(kind),
    training: {
      epochs: numberFlag('epochs', str('epochs'), defaults.epochs, true),
      batchSize: numberFlag('batch-size', str('batch-size'), defaults.batchSize, true),
      learningRate: numberFlag('learning-rate', str('learning-rate'), defaults.learningRate, false),
      optimizer: oneOf<OptimizerKind>('optimizer', str('optimizer'), OPTIMIZER_KINDS, defaults.optimizer),
      momentum: numberFlag('momentum', str('momentum'), defaults.momentum, false),
      loss: oneOf<LossKind>('loss', str('loss'), LOSS_KINDS, defaults.loss),
      labelSmoothing: numberFlag('label-smoothing', str('label-smoothing'), defaults.labelSmoothing, false),
      earlyStoppingPatience: numberFlag('patience', str('patience'), defaults.earlyStoppingPatience, true),
      seed: numberFlag('seed', str('seed'), defaults.seed, true),
    },
    augment: str('augment') ? parseAugmentFlag(str('augment')!) : noAugmentation(),
  };
  try {
    validateRunSpec(spec);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let name = str('name');
  if (name !== undefined && name.trim().length > 0) {
    try {
      name = cleanName(name);
    } catch (error) {
      throw new UsageError(`--name: ${(error as Error).message}`);
    }
  }
  return {
    spec,
    runsDir: resolve(cwd, str('runs-dir') ?? DEFAULT_RUNS_DIR),
    name,
    json: values.json === true,
    backend: oneOf('backend', str('backend'), ['auto', 'native', 'wasm'] as const, 'auto'),
  };
}
