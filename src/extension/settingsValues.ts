// The classifierLab.* settings as typed values: out-of-range or mistyped values fall back to the defaults.
import { isAbsolute, join, normalize } from 'node:path';
import { isOneOf } from '../core/guards';
import { MODEL_KINDS, OPTIMIZER_KINDS, type ModelKind, type OptimizerKind } from '../core/runSpec';
import { defaultTrainingSpec } from '../core/runSpecDefaults';
import { autoTrainingThreads, parseThreadsRequest, type ThreadsRequest } from '../core/train/trainingThreads';
import type { BackendChoice } from '../protocol/trainer';

export const SETTINGS_SECTION = 'classifierLab';
export const DEFAULT_RUNS_FOLDER = '.classifier-lab/runs';
export const MAX_CONCURRENT_RUNS = 8;

export interface TrainingDefaults {
  model: ModelKind;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerKind;
}

export interface ClassifierLabSettings {
  /** As written: relative to the first workspace folder, or absolute. */
  runsFolder: string;
  concurrentRuns: number;
  backend: BackendChoice;
  /** Threads each run trains on: 'auto' shares the machine's cores among the runs that may train at once. */
  trainingThreads: ThreadsRequest;
  defaults: TrainingDefaults;
}

/** Reads one setting by its key below `classifierLab.` (e.g. `defaults.epochs`). */
export type SettingReader = (key: string) => unknown;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return isOneOf(value, allowed) ? value : fallback;
}

function wholeNumber(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

export function readSettingValues(read: SettingReader): ClassifierLabSettings {
  const training = defaultTrainingSpec();
  const runsFolder = read('runsFolder');
  const learningRate = read('defaults.learningRate');
  const threads = read('trainingThreads');
  return {
    runsFolder: typeof runsFolder === 'string' && runsFolder.trim().length > 0 ? runsFolder.trim() : DEFAULT_RUNS_FOLDER,
    concurrentRuns: wholeNumber(read('concurrentRuns'), 1, MAX_CONCURRENT_RUNS, 1),
    backend: oneOf<BackendChoice>(read('backend'), ['auto', 'native', 'wasm'], 'auto'),
    trainingThreads: typeof threads === 'string' || typeof threads === 'number' ? parseThreadsRequest(threads) ?? 'auto' : 'auto',
    defaults: {
      model: oneOf<ModelKind>(read('defaults.model'), MODEL_KINDS, 'cnn'),
      epochs: wholeNumber(read('defaults.epochs'), 1, 10_000, training.epochs),
      batchSize: wholeNumber(read('defaults.batchSize'), 1, 4096, training.batchSize),
      learningRate: typeof learningRate === 'number' && Number.isFinite(learningRate) && learningRate > 0 && learningRate <= 10
        ? learningRate : training.learningRate,
      optimizer: oneOf<OptimizerKind>(read('defaults.optimizer'), OPTIMIZER_KINDS, training.optimizer),
    },
  };
}

/**
 * The absolute runs folder: the setting itself when absolute, else below the workspace folder.
 * Undefined when the setting is relative and no folder is open.
 */
export function resolveRunsFolder(workspaceFolder: string | undefined, runsFolder: string): string | undefined {
  if (isAbsolute(runsFolder)) return normalize(runsFolder);
  if (workspaceFolder === undefined) return undefined;
  return join(workspaceFolder, runsFolder);
}

/**
 * The threads a run started now trains on: the setting's count, or for 'auto' the machine's cores
 * divided among the runs that may train at once (classifierLab.concurrentRuns), so they never oversubscribe.
 */
export function trainingThreadsFor(settings: Pick<ClassifierLabSettings, 'trainingThreads' | 'concurrentRuns'>): number {
  return settings.trainingThreads === 'auto' ? autoTrainingThreads(settings.concurrentRuns) : settings.trainingThreads;
}
