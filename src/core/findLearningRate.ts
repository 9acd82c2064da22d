// The learning-rate finder for a run spec: the same dataset, split, model and optimiser a run would use,
// trained briefly by the range test; nothing is written to disk. Shared by the CLI (`lr-find`) and the editor.
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendPreference } from './backend/selectBackend';
import { loadDataset } from './data/loadDataset';
import { createModel } from './models/createModel';
import { modelFromRun } from './models/initFromRun';
import type { RunSpec } from './runSpec';
import { RunSpecError, validateRunSpec } from './runSpecDefaults';
import { splitTraining } from './runTraining';
import { createOptimizer } from './train/createOptimizer';
import {
  defaultRangeTestOptions, rangeTestProblem, runRangeTest,
  type RangeTestOptions, type RangeTestPoint, type RangeTestResult,
} from './train/learningRateFinder';
import { kerasLossName } from './train/losses';
import { useSeededMathRandom } from './train/seededRandom';

export interface FindLearningRateOptions {
  spec: RunSpec;
  /** Overrides of the range test's defaults (1e-6 to 10 over 200 steps). */
  rangeTest?: Partial<RangeTestOptions>;
  backend?: BackendPreference;
  signal?: AbortSignal;
  onPoint?(point: RangeTestPoint): void | Promise<void>;
  onWarning?(message: string): void;
  memoryBudgetBytes?: number;
}

export interface LearningRateFinding extends RangeTestResult {
  options: RangeTestOptions;
  /** The backend's one-line description. */
  backend: string;
  /** Training examples the batches were drawn from. */
  trainCount: number;
}

export async function findLearningRate(input: FindLearningRateOptions): Promise<LearningRateFinding> {
  const { spec } = input;
  validateRunSpec(spec);
  const options = { ...defaultRangeTestOptions(), ...input.rangeTest };
  const problem = rangeTestProblem(options);
  if (problem) throw new RunSpecError(problem);
  const backend = await initBackend(input.backend ?? 'auto');
  const dataset = await loadDataset(spec.data, {
    signal: input.signal, memoryBudgetBytes: input.memoryBudgetBytes, onWarning: (message) => input.onWarning?.(message),
  });
  const { train } = splitTraining(dataset, spec);
  if (train.count === 0) throw new Error('No training examples are left after the validation split: lower --val-split or add images.');
  const random = useSeededMathRandom(spec.training.seed);
  let model: tfl.LayersModel | undefined;
  try {
    model = spec.training.initFrom
      ? (await modelFromRun(spec.training.initFrom, dataset.classes, dataset.imageShape)).model
      : createModel(spec.model, dataset.imageShape, dataset.classes.length);
    model.compile({ optimizer: createOptimizer(spec.training), loss: kerasLossName(spec.training.loss) });
    const result = await runRangeTest({
      model, train, imageShape: dataset.imageShape, classCount: dataset.classes.length, training: spec.training,
      augment: spec.augment, options, signal: input.signal, onPoint: input.onPoint,
    });
    return { ...result, options, backend: backend.description, trainCount: train.count };
  } finally {
    random.restore();
    model?.optimizer?.dispose();
    model?.dispose();
  }
}
