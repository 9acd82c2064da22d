// One training run from start to finish: backend, dataset, split, model, run folder, training loop, final status.
// Shared by the CLI and the trainer process; mistakes found before the run folder exists are thrown,
// failures after it exists end the run as `failed` with the reason.
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendPreference } from './backend/selectBackend';
import { DatasetError, type Dataset, type ExampleSource } from './data/dataset';
import { loadDataset } from './data/loadDataset';
import { stratifiedSample, stratifiedSplit } from './data/split';
import { createModel, countParameters } from './models/createModel';
import { modelFromRun, type InitializedModel } from './models/initFromRun';
import { loadModelFromDir, writeModelArtifacts } from './models/modelFiles';
import type { RunSpec } from './runSpec';
import { validateRunSpec } from './runSpecDefaults';
import type { FileOps } from './runs/fileOps';
import type { RunDatasetInfo } from './runs/runRecord';
import { RunStore } from './runs/runStore';
import type { RunWriter } from './runs/runWriter';
import { createOptimizer } from './train/createOptimizer';
import { kerasLossName } from './train/losses';
import { useSeededMathRandom } from './train/seededRandom';
import { startReplicas } from './train/startReplicas';
import { SystemMetricsSampler } from './train/systemMetrics';
import { resolveTrainingThreads, type ThreadsRequest } from './train/trainingThreads';
import type { TrainingReplicas } from './train/trainingReplicas';
import { trainModel, type CheckpointState, type TrainModelResult } from './train/trainModel';
import type { BestEpochSummary, RunEndEvent, TrainingEvent } from './train/trainingEvents';
import { errorMessage } from './errorMessage';

export interface RunTrainingOptions {
  spec: RunSpec;
  /** Absolute path of the runs folder. */
  runsDir: string;
  name?: string;
  backend?: BackendPreference;
  /**
   * Continue this run from its last checkpoint; `spec` is then taken from the run. A queued run that never
   * started (created ahead of its trainer, as a cluster submission does) starts from its first epoch.
   */
  resumeRunId?: string;
  signal?: AbortSignal;
  /**
   * Asked when training stops on `signal`: true ends the run as `interrupted` (its host went away;
   * resumable from the last checkpoint, no runEnd event) instead of `cancelled` (the user stopped it).
   */
  isInterrupted?(): boolean;
  onEvent?(event: TrainingEvent, runId: string): void;
  onRunCreated?(runId: string, runDir: string, name: string): void;
  /** Largest in-memory pixel buffer before a folder dataset is streamed from disk. */
  memoryBudgetBytes?: number;
  /** Threads that share each training step: a count, or 'auto' (every core). Default 'auto'. */
  threads?: ThreadsRequest;
  /** Every call that changes the run folder (fault-injection tests replace it). */
  fileOps?: FileOps;
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  status: RunEndEvent['status'] | 'interrupted';
  /** `valAcc` when the run had a validation split, else `trainAcc`. */
  best: BestEpochSummary | null;
  testAcc?: number;
  error?: string;
}

function countByClass(source: ExampleSource | null | undefined, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  if (source) for (let i = 0; i < source.count; i++) counts[source.labels[i]] += 1;
  return counts;
}

/** Splits the training examples into the train and validation sources the loop uses. */
export function splitTraining(dataset: Dataset, spec: RunSpec): { train: ExampleSource; val: ExampleSource | null } {
  const { valSplit, limit } = spec.data;
  const seed = spec.training.seed;
  let trainIndices: number[];
  let val: ExampleSource | null = null;
  if (valSplit > 0) {
    const split = stratifiedSplit(dataset.train.labels, valSplit, seed);
    trainIndices = split.train;
    val = split.val.length > 0 ? dataset.train.subset(split.val) : null;
  } else {
    trainIndices = Array.from({ length: dataset.train.count }, (_, i) => i);
  }
  if (limit !== undefined && limit < trainIndices.length) {
    const labels = Int32Array.from(trainIndices, (i) => dataset.train.labels[i]);
    trainIndices = stratifiedSample(labels, limit, seed).map((k) => trainIndices[k]);
  }
  return { train: dataset.train.subset(trainIndices), val };
}

/**
 * Refuses to resume on a dataset whose classes or image shape changed since the run started (the model
 * could not learn from it, or would learn wrong labels); a changed example count only warns.
 */
function checkSameDataset(before: RunDatasetInfo | undefined, dataset: Dataset, trainCount: number, warnings: string[]): void {
  if (!before) return;
  if (before.classes.join('\n') !== dataset.classes.join('\n')) {
    throw new DatasetError(
      `The dataset's classes changed since this run started: it was trained on ${before.classes.join(', ')}, ` +
      `and ${dataset.root} now has ${dataset.classes.join(', ')}. Restore the dataset to resume, or start a new run.`);
  }
  if (before.imageShape.join('x') !== dataset.imageShape.join('x')) {
    throw new DatasetError(
      `The dataset's images changed since this run started: the model takes ${before.imageShape.join('x')}, ` +
      `the dataset now gives ${dataset.imageShape.join('x')}. Restore the dataset to resume, or start a new run.`);
  }
  if (before.trainCount !== trainCount) {
    warnings.push(`The dataset changed since this run started (${before.trainCount} training images then, ${trainCount} now): ` +
      'the validation split differs from the one the earlier epochs used.');
  }
}

export async function runTraining(options: RunTrainingOptions): Promise<RunOutcome> {
  const store = new RunStore(options.runsDir, { fileOps: options.fileOps });
  let spec = options.spec;
  let resume: CheckpointState | undefined;
  let writer: RunWriter | undefined;
  let datasetBefore: RunDatasetInfo | undefined;
  if (options.resumeRunId) {
    // Take the run first, exclusively: a second resume (another process, the editor and the CLI) is
    // refused at once, and what a crash left half-written is repaired before the checkpoint is read.
    writer = await store.openWriter(options.resumeRunId, { resume: true });
    try {
      const record = writer.record;
      spec = record.spec;
      datasetBefore = record.dataset;
      const state = await store.readCheckpointState(options.resumeRunId);
      // A run submitted to a cluster exists before its job starts: its first start is a "resume" from nothing.
      const neverStarted = record.startedAt === undefined && record.summary.lastEpoch === undefined;
      if (!state && !neverStarted) {
        throw new Error(`Run "${record.name}" has no checkpoint to resume from: it stopped before finishing its first epoch. Start it again instead.`);
      }
      if (state && state.epoch >= spec.training.epochs) {
        throw new Error(`Run "${record.name}" already finished all ${spec.training.epochs} epochs.`);
      }
      if (state) resume = { epoch: state.epoch, best: state.best, epochsWithoutImprovement: state.epochsWithoutImprovement };
    } catch (error) {
      await writer.close().catch(() => undefined);
      throw error;
    }
  } else {
    await store.checkWritable();
  }
  let backend: Awaited<ReturnType<typeof initBackend>>;
  let dataset: Dataset;
  let train: ExampleSource;
  let val: ExampleSource | null;
  const warnings: string[] = [];
  try {
    validateRunSpec(spec);
    backend = await initBackend(options.backend ?? 'auto');
    dataset = await loadDataset(spec.data, {
      signal: options.signal, memoryBudgetBytes: options.memoryBudgetBytes, onWarning: (message) => warnings.push(message),
    });
    ({ train, val } = splitTraining(dataset, spec));
    if (train.count === 0) throw new Error('No training examples are left after the validation split: lower --val-split or add images.');
    checkSameDataset(datasetBefore, dataset, train.count, warnings);
  } catch (error) {
    // A resume that cannot begin leaves the run as it was: resumable.
    await writer?.close().catch(() => undefined);
    throw error;
  }
  const classes = dataset.classes;
  if (backend.fallbackReason) {
    warnings.unshift(`The native TensorFlow backend is not used (${backend.fallbackReason}); training on ${backend.description}.`);
  }

  const random = useSeededMathRandom(spec.training.seed);
  let model: tfl.LayersModel | undefined;
  let replicas: TrainingReplicas | undefined;
  let init: InitializedModel | undefined;
  try {
    if (writer && resume) {
      model = await loadModelFromDir(writer.checkpointDir);
      if (!model.optimizer) {
        model.compile({ optimizer: createOptimizer(spec.training), loss: kerasLossName(spec.training.loss) });
      }
    } else {
      // Fine-tuning: that run's architecture and weights (a problem with that run is thrown before this run exists).
      if (spec.training.initFrom) {
        init = await modelFromRun(spec.training.initFrom, classes, dataset.imageShape);
        spec = { ...spec, model: init.modelSpec };
      }
      model = init?.model ?? createModel(spec.model, dataset.imageShape, classes.length);
      model.compile({ optimizer: createOptimizer(spec.training), loss: kerasLossName(spec.training.loss) });
      writer = writer ?? await store.create({ spec, name: options.name });
    }
    const runWriter = writer;
    const runId = runWriter.id;
    options.onRunCreated?.(runId, runWriter.runDir, runWriter.record.name);
    const system = new SystemMetricsSampler();
    const emit = async (event: TrainingEvent) => {
      // Each epoch's CPU use covers the time since the previous epoch's end (or since training began).
      if (event.type === 'epochEnd') event = { ...event, ...system.sample() };
      if (event.type === 'epochEnd' && !val) {
        // Without a validation split the loop scores epochs on training data: record that as what it is.
        const { valAcc: _valAcc, valLoss: _valLoss, ...trainingOnly } = event;
        event = trainingOnly;
      }
      await runWriter.append(event);
      options.onEvent?.(event, runId);
    };
    const parameterCount = countParameters(model);
    const trainingModel = model;
    replicas = await startReplicas({
      model: trainingModel, imageShape: dataset.imageShape, classCount: classes.length, training: spec.training,
      threads: resolveTrainingThreads(options.threads ?? 'auto', backend), backend: backend.native ? 'native' : backend.name === 'cpu' ? 'cpu' : 'wasm',
      onFallback: (message) => { warnings.push(message); },
    });
    await runWriter.start({
      backend: backend.description,
      ...(backend.fallbackReason !== undefined ? { backendFallbackReason: backend.fallbackReason } : {}),
      threads: replicas.threads,
      model: { kind: spec.model.kind, parameterCount },
      resumedFrom: resume?.epoch,
      initFrom: init?.source,
      dataset: {
        format: dataset.format, root: dataset.root, classes, imageShape: dataset.imageShape,
        trainCount: train.count, valCount: val?.count ?? 0, testCount: dataset.test?.count ?? 0,
        classCounts: {
          train: countByClass(train, classes.length),
          val: countByClass(val, classes.length),
          test: countByClass(dataset.test, classes.length),
        },
        skipped: dataset.skipped.length,
        streamed: dataset.streamed,
      },
    });
    await emit({
      type: 'runStart', time: new Date().toISOString(), backend: backend.description, format: dataset.format,
      classes, imageShape: dataset.imageShape, trainCount: train.count, valCount: val?.count ?? 0,
      testCount: dataset.test?.count ?? 0, parameterCount, threads: replicas.threads, epochs: spec.training.epochs,
      batchesPerEpoch: Math.ceil(train.count / spec.training.batchSize), startEpoch: (resume?.epoch ?? 0) + 1,
    });
    for (const message of warnings) await emit({ type: 'log', level: 'warn', message });
    if (init) {
      const head = init.source.headReplaced ? `, with a new classifier head for ${classes.length} classes` : '';
      await emit({ type: 'log', level: 'info', message: `Starting from the weights of run "${init.source.name}"${head}.` });
    }
    if (!val) await emit({ type: 'log', level: 'warn', message: 'No validation split: the best epoch is chosen by training accuracy.' });

    let result: TrainModelResult;
    try {
      result = await trainModel({
        model, classes, imageShape: dataset.imageShape, train, val, test: dataset.test,
        training: spec.training, augment: spec.augment, replicas, resume, signal: options.signal, emit,
        onBest: async (exportModel, best, predictions) => {
          const artifacts = await exportModel(false);
          await runWriter.saveBestModel((dir, ops) => writeModelArtifacts(dir, artifacts, ops));
          if (predictions.length > 0) await runWriter.writePredictions({ epoch: best.epoch, classes, items: predictions });
        },
        onCheckpoint: async (exportModel, state) => {
          const artifacts = await exportModel(true);
          await runWriter.saveCheckpoint({ ...state, seed: spec.training.seed }, (dir, ops) => writeModelArtifacts(dir, artifacts, ops));
        },
        loadBestWeights: async () => {
          const saved = await loadModelFromDir(runWriter.bestModelDir);
          try {
            return saved.getWeights().map((weight) => Float32Array.from(weight.dataSync()));
          } finally {
            saved.dispose();
          }
        },
      });
    } catch (error) {
      const message = errorMessage(error);
      await emit({ type: 'log', level: 'error', message });
      await emit({ type: 'runEnd', time: new Date().toISOString(), status: 'failed', best: null, error: message });
      return { runId, runDir: runWriter.runDir, status: 'failed', best: null, error: message };
    }
    // The loop's best score is validation accuracy, or training accuracy when there is no validation split.
    const best: BestEpochSummary | null = !result.best ? null
      : val ? { epoch: result.best.epoch, valAcc: result.best.valAcc } : { epoch: result.best.epoch, trainAcc: result.best.valAcc };
    if (result.status === 'cancelled' && options.isInterrupted?.()) {
      await emit({ type: 'log', level: 'warn', message: `Training was interrupted after epoch ${result.lastEpoch}; resume the run to continue.` });
      await runWriter.finish('interrupted');
      return { runId, runDir: runWriter.runDir, status: 'interrupted', best };
    }
    await emit({
      type: 'runEnd', time: new Date().toISOString(), status: result.status, best,
      ...(result.test ? { testAcc: result.test.acc } : {}),
    });
    return { runId, runDir: runWriter.runDir, status: result.status, best, testAcc: result.test?.acc };
  } catch (error) {
    // The run folder exists but training never got going: record why instead of leaving it queued.
    if (writer) await writer.finish('failed', errorMessage(error)).catch(() => undefined);
    throw error;
  } finally {
    await replicas?.dispose();
    random.restore();
    // Disposing a model leaves its optimizer's slot variables (e.g. Adam's moments) behind.
    model?.optimizer?.dispose();
    model?.dispose();
    await writer?.close();
  }
}
