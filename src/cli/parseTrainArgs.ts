// `classifier-lab train` arguments -> a validated RunSpec plus the run's place on disk.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { parseAugmentList } from '../core/data/augment';
import { defaultModelSpec } from '../core/models/defaultModelSpecs';
import { applyModelOptions, parseModelOptionText, type ModelOptionValue } from '../core/models/modelOptions';
import {
  DATASET_FORMATS, LOSS_KINDS, MODEL_KINDS, OPTIMIZER_KINDS,
  type DatasetFormat, type LossKind, type ModelKind, type ModelSpec, type OptimizerKind, type RunSpec,
} from '../core/runSpec';
import { validateRunSpec } from '../core/runSpecDefaults';
import { cleanName } from '../core/runs/runStore';
import { parseThreadsRequest, type ThreadsRequest, MAX_TRAINING_THREADS } from '../core/train/trainingThreads';
import { numberFlag, oneOf } from './flagValues';
import { RECIPE_OPTIONS, applyRecipeFlags, presetBase, presetsDirOf } from './recipeFlags';
import { UsageError } from './usageError';
import { errorMessage } from '../core/errorMessage';

export interface TrainCommand {
  /** Without --data (only saving a preset) its dataset path is empty. */
  spec: RunSpec;
  runsDir: string;
  name?: string;
  json: boolean;
  backend: 'auto' | 'native' | 'wasm';
  threads: ThreadsRequest;
  /** --save-preset NAME: save these settings as a preset in `presetsDir` (then train only when --data is given). */
  savePreset?: { name: string; presetsDir: string };
  /** Values of the caller's own extra options (`lr-find`'s), by flag name. */
  extra: Record<string, string | boolean | string[] | undefined>;
}

export const DEFAULT_RUNS_DIR = '.classifier-lab/runs';

function parseAugmentFlag(list: string) {
  try {
    return parseAugmentList(list);
  } catch (error) {
    throw new UsageError(`--augment: ${errorMessage(error)}`);
  }
}

/** `model` with each `--model-option name=value` applied (checked against the kind's options). */
function modelWithOptions(model: ModelSpec, assignments: string[]): ModelSpec {
  try {
    const values: Record<string, ModelOptionValue> = {};
    for (const text of assignments) {
      const { name, value } = parseModelOptionText(model.kind, text);
      values[name] = value;
    }
    return applyModelOptions(model, values);
  } catch (error) {
    throw new UsageError(`--model-option: ${errorMessage(error)}`);
  }
}

/** `--threads auto|N`: threads that share each training step. */
export function parseThreadsFlag(value: string | undefined): ThreadsRequest {
  if (value === undefined) return 'auto';
  const threads = parseThreadsRequest(value);
  if (threads === undefined) throw new UsageError(`--threads must be auto or a whole number from 1 to ${MAX_TRAINING_THREADS} (got "${value}").`);
  return threads;
}

/** `extraOptions`: parseArgs declarations of a command's own flags beside the training ones (`lr-find`). */
export async function parseTrainArgs(
  args: string[], cwd = process.cwd(), extraOptions: Record<string, { type: 'string' | 'boolean' }> = {},
): Promise<TrainCommand> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        format: { type: 'string' },
        model: { type: 'string' },
        'model-option': { type: 'string', multiple: true },
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
        threads: { type: 'string' },
        json: { type: 'boolean' },
        ...RECIPE_OPTIONS,
        ...extraOptions,
      },
    }));
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const str = (key: string) => values[key] as string | undefined;
  const savePresetName = str('save-preset');
  if (!str('data') && savePresetName === undefined) {
    throw new UsageError('train needs --data PATH (a folder of class sub-folders, CIFAR batches or IDX files).');
  }
  // Flags override the preset's settings (or today's defaults without --preset).
  const base = await presetBase(values, cwd);
  const defaults = base.training;
  const kind = oneOf<ModelKind>('model', str('model'), MODEL_KINDS, base.model.kind);
  const spec: RunSpec = {
    data: {
      path: str('data') ? resolve(cwd, str('data')!) : '',
      format: oneOf<DatasetFormat>('format', str('format'), DATASET_FORMATS, 'auto'),
      imageSize: numberFlag('image-size', str('image-size'), base.data.imageSize as number, true),
      valSplit: numberFlag('val-split', str('val-split'), base.data.valSplit ?? 0.1, false),
      limit: numberFlag('limit', str('limit'), base.data.limit as number, true),
      cifar100Labels: oneOf('cifar100-labels', str('cifar100-labels'), ['fine', 'coarse'] as const, 'fine'),
    },
    model: modelWithOptions(str('model') && kind !== base.model.kind ? defaultModelSpec(kind) : base.model,
      (values['model-option'] as string[] | undefined) ?? []),
    training: {
      ...defaults,
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
    augment: str('augment') ? parseAugmentFlag(str('augment')!) : base.augment,
  };
  applyRecipeFlags(values, spec, cwd);
  try {
    // Saving a preset alone needs no dataset: check everything else.
    validateRunSpec(spec.data.path ? spec : { ...spec, data: { ...spec.data, path: '(preset)' } });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  let name = str('name');
  if (name !== undefined && name.trim().length > 0) {
    try {
      name = cleanName(name);
    } catch (error) {
      throw new UsageError(`--name: ${errorMessage(error)}`);
    }
  }
  return {
    spec,
    runsDir: resolve(cwd, str('runs-dir') ?? DEFAULT_RUNS_DIR),
    name,
    json: values.json === true,
    backend: oneOf('backend', str('backend'), ['auto', 'native', 'wasm'] as const, 'auto'),
    threads: parseThreadsFlag(str('threads')),
    ...(savePresetName !== undefined ? { savePreset: { name: savePresetName, presetsDir: presetsDirOf(values, cwd) } } : {}),
    extra: Object.fromEntries(Object.keys(extraOptions).map((key) => [key, values[key]])),
  };
}
