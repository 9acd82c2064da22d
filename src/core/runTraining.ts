// One training run from start to finish: backend, dataset, split, model, run folder, training loop, final status.
// Shared by the CLI and the trainer process; mistakes found before the run folder exists are thrown,
// failures after it exists end the run as `failed` with the reason.
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, type BackendPreference } from './backend/selectBackend';
import type { Dataset, ExampleSource } from './data/dataset';
import { loadDataset } from './data/loadDataset';
import { stratifiedSample, stratifiedSplit } from './data/split';
import { createModel, countParameters } from './models/createModel';
import { modelFromRun, type InitializedModel } from './models/initFromRun';
import { loadModelFromDir, writeModelArtifacts } from './models/modelFiles';
import type { RunSpec } from './runSpec';
import { validateRunSpec } from './runSpecDefaults';
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
import type { RunEndEvent, TrainingEvent } from './train/trainingEvents';
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
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  status: RunEndEvent['status'] | 'interrupted';
  best: { epoch: number; valAcc: number } | null;
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

export async function runTraining(options: RunTrainingOptions): Promise<RunOutcome> {
  const store = new RunStore(options.runsDir);
  let spec = options.spec;
  let resume: CheckpointState | undefined;
  if (options.resumeRunId) {
    const record = await store.read(options.resumeRunId);
    spec = record.spec;
    const state = await store.readCheckpointState(options.resumeRunId);
    const neverStarted = record.status === 'queued' && record.startedAt === undefined;
    if (!state && !neverStarted) {
      throw new Error(`Run "${record.name}" has no checkpoint to resume from: it stopped before finishing its first epoch. Start it again instead.`);
    }
    if (state && state.epoch >= spec.training.epochs) {
      throw new Error(`Run "${record.name}" already finished all ${spec.training.epochs} epochs.`);
    }
    if (state) resume = { epoch: state.epoch, best: state.best, epochsWithoutImprovement: state.epochsWithoutImprovement };
  }
  validateRunSpec(spec);
  const backend = await initBackend(options.backend ?? 'auto');
  const warnings: string[] = [];
  const dataset = await loadDataset(spec.data, {
    signal: options.signal, memoryBudgetBytes: options.memoryBudgetBytes, onWarning: (message) => warnings.push(message),
  });
  const classes = dataset.classes;
  const { train, val } = splitTraining(dataset, spec);
  if (train.count === 0) throw new Error('No training examples are left after the validation split: lower --val-split or add images.');

  const random = useSeededMathRandom(spec.training.seed);
  let writer: RunWriter | undefined;
  let model: tfl.LayersModel | undefined;
  let replicas: TrainingReplicas | undefined;
  let init: InitializedModel | undefined;
  try {
    if (resume && options.resumeRunId) {
      writer = await store.openWriter(options.resumeRunId);
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
      writer = options.resumeRunId ? await store.openWriter(options.resumeRunId) : await store.create({ spec, name: options.name });
    }
    const runWriter = writer;
    const runId = runWriter.id;
    options.onRunCreated?.(runId, runWriter.runDir, runWriter.record.name);
    const system = new SystemMetricsSampler();
    const emit = async (event: TrainingEvent) => {
      // Each epoch's CPU use covers the time since the previous epoch's end (or since training began).
      if (event.type === 'epochEnd') event = { ...event, ...system.sample() };
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
          await runWriter.saveBestModel((dir) => writeModelArtifacts(dir, artifacts));
          if (predictions.length > 0) await runWriter.writePredictions({ epoch: best.epoch, classes, items: predictions });
        },
        onCheckpoint: async (exportModel, state) => {
          const artifacts = await exportModel(true);
          await runWriter.saveCheckpoint({ ...state, seed: spec.training.seed }, (dir) => writeModelArtifacts(dir, artifacts));
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
    const best = result.best ? { epoch: result.best.epoch, valAcc: result.best.valAcc } : null;
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
