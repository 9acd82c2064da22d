// The training loop: seeded shuffles, on-the-fly augmentation, per-batch and per-epoch events,
// validation with a confusion matrix, best-model tracking, early stopping and cancellation between batches.
// Steps run on the model in this thread or, with `threads` > 1, on replica threads that split each batch
// (data parallelism); the loop prepares the next batch while the current one trains.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendPreference } from '../backend/selectBackend';
import type { ExampleSource } from '../data/dataset';
import { augmentBatch, isAugmenting } from '../data/augment';
import type { ModelArtifacts } from '../models/modelArtifacts';
import type { AugmentSpec, ImageShape, TrainingSpec, TtaKind } from '../runSpec';
import { accuracyOf, confusionMatrix, perClassMetrics } from './classificationMetrics';
import { learningRateAt } from './learningRateSchedule';
import { predictBatch, setWeightValues } from './localReplica';
import { lossOfProbabilities } from './losses';
import { seededStream, shuffleInPlace } from './seededRandom';
import { PREDICT_BATCH, startReplicas } from './startReplicas';
import type { Predictor, TrainingReplicas } from './trainingReplicas';
import type { BatchEndEvent, EpochEndEvent, LogEvent, TestEndEvent } from './trainingEvents';

/** The best epoch so far, by validation accuracy (ties broken by lower validation loss). */
export interface BestEpoch {
  epoch: number;
  valAcc: number;
  valLoss: number;
}

/** What a checkpoint must remember to resume after `epoch`. */
export interface CheckpointState {
  epoch: number;
  best: BestEpoch | null;
  epochsWithoutImprovement: number;
}

/** One validation example's outcome, for galleries of (mis)classified samples. */
export interface Prediction {
  source: string;
  label: number;
  predicted: number;
  confidence: number;
}

export interface Evaluation {
  loss: number;
  acc: number;
  confusion: number[][];
  predictions: Prediction[];
}

/** The model being trained, as a model folder's content: `includeOptimizer` adds its optimiser's state. */
export type ExportModel = (includeOptimizer: boolean) => Promise<ModelArtifacts>;

export type TrainModelEvent = BatchEndEvent | EpochEndEvent | TestEndEvent | LogEvent;

export interface TrainModelOptions {
  /**
   * A compiled model: `model.optimizer` is the optimiser that trains it. With one thread it is trained in
   * place; with more it is the template the replicas copy, and it receives the trained weights at the end.
   */
  model: tfl.LayersModel;
  classes: string[];
  imageShape: ImageShape;
  train: ExampleSource;
  /** Held-out examples evaluated every epoch; null trains without validation (the last epoch counts as best). */
  val: ExampleSource | null;
  /** The dataset's official test split, evaluated once at the end with the best weights. */
  test?: ExampleSource;
  training: TrainingSpec;
  augment: AugmentSpec;
  /**
   * Where the steps run: replicas the caller started (and disposes), or else threads for trainModel to
   * start (and dispose): 1 (the default) trains `model` in this thread.
   */
  replicas?: TrainingReplicas;
  threads?: number;
  /** The backend replica threads use (the same as this thread's). Default 'wasm'. */
  backend?: BackendPreference;
  /** Resume after the epoch this state was saved at. */
  resume?: CheckpointState;
  signal?: AbortSignal;
  emit(event: TrainModelEvent): void | Promise<void>;
  /** Called when an epoch sets a new best, before training continues: save `exportModel(false)`. */
  onBest?(exportModel: ExportModel, best: BestEpoch, predictions: Prediction[]): Promise<void>;
  /** Called at the end of every epoch, to save a resumable checkpoint from `exportModel(true)`. */
  onCheckpoint?(exportModel: ExportModel, state: CheckpointState): Promise<void>;
  /** The saved best weights (getWeights() order), needed when the best epoch predates a resume. */
  loadBestWeights?(): Promise<Float32Array[]>;
}

export interface TrainModelResult {
  status: 'completed' | 'cancelled';
  best: BestEpoch | null;
  lastEpoch: number;
  /** Threads the steps ran on. */
  threads: number;
  test?: Evaluation;
}



function toFloatPixels(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}

function batchesOf(indices: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indices.length; i += size) out.push(indices.slice(i, i + size));
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Predictions of a model in this thread (averaged with the mirror images' under flip test-time augmentation). */
export function predictWithModel(model: tfl.LayersModel, imageShape: ImageShape, tta?: TtaKind): Predictor {
  return async (inputs, count) => predictBatch(model, inputs, count, imageShape, tta);
}

/**
 * Predicts every example of `source` in batches (with the spec's test-time augmentation); returns loss,
 * accuracy, confusion and per-example outcomes.
 */
export async function evaluateModel(
  predict: Predictor,
  source: ExampleSource,
  classCount: number,
  training: Pick<TrainingSpec, 'loss' | 'labelSmoothing' | 'testTimeAugmentation'>,
  signal?: AbortSignal,
): Promise<Evaluation> {
  const predicted = new Int32Array(source.count);
  const predictions: Prediction[] = [];
  let lossSum = 0;
  const batches = batchesOf(range(source.count), PREDICT_BATCH);
  let next = batches.length > 0 ? source.readPixels(batches[0]) : null;
  for (let b = 0; b < batches.length; b++) {
    if (signal?.aborted) break;
    const indices = batches[b];
    const pixels = await next!;
    next = b + 1 < batches.length ? source.readPixels(batches[b + 1]) : null;
    next?.catch(() => undefined);
    const labels = indices.map((i) => source.labels[i]);
    const probabilities = await predict(toFloatPixels(pixels), indices.length);
    lossSum += lossOfProbabilities(training.loss, training.labelSmoothing, probabilities, labels, classCount) * indices.length;
    indices.forEach((exampleIndex, k) => {
      let best = 0;
      for (let j = 1; j < classCount; j++) if (probabilities[k * classCount + j] > probabilities[k * classCount + best]) best = j;
      predicted[exampleIndex] = best;
      predictions.push({
        source: source.sourceOf(exampleIndex),
        label: source.labels[exampleIndex],
        predicted: best,
        confidence: probabilities[k * classCount + best],
      });
    });
  }
  const confusion = confusionMatrix(source.labels, predicted, classCount);
  return { loss: source.count === 0 ? 0 : lossSum / source.count, acc: accuracyOf(confusion), confusion, predictions };
}

export async function trainModel(options: TrainModelOptions): Promise<TrainModelResult> {
  const { model, classes, imageShape, train, val, training, augment, signal } = options;
  if (!model.optimizer) throw new Error('trainModel needs a compiled model (model.compile with an optimizer).');
  const [h, w, c] = imageShape;
  const classCount = classes.length;
  const augmenting = isAugmenting(augment);
  const replicas = options.replicas ?? await startReplicas({
    model, imageShape, classCount, training, threads: options.threads ?? 1, backend: options.backend ?? 'wasm',
    onFallback: (message) => options.emit({ type: 'log', level: 'warn', message }),
  });
  const predict: Predictor = (inputs, count) => replicas.predict(inputs, count);
  const exportModel: ExportModel = (includeOptimizer) => replicas.exportModel(includeOptimizer);

  let best: BestEpoch | null = options.resume?.best ?? null;
  let bestWeights: Float32Array[] | null = null;
  let epochsWithoutImprovement = options.resume?.epochsWithoutImprovement ?? 0;
  let lastEpoch = options.resume?.epoch ?? 0;
  let status: TrainModelResult['status'] = 'completed';

  try {
    for (let epoch = lastEpoch + 1; epoch <= training.epochs; epoch++) {
      if (signal?.aborted) {
        status = 'cancelled';
        break;
      }
      const epochStart = performance.now();
      // Shuffles and augmentation depend only on (seed, epoch), so a resumed run sees the same batches.
      const order = shuffleInPlace(range(train.count), seededStream(training.seed, `shuffle:${epoch}`));
      const augmentRandom = seededStream(training.seed, `augment:${epoch}`);
      const batches = batchesOf(order, training.batchSize);
      // Batches are prepared in order (the augmentation stream is consumed batch after batch).
      const prepare = async (pixels: Promise<Uint8Array>, indices: number[]) => {
        let floats = toFloatPixels(await pixels);
        if (augmenting) floats = augmentBatch(floats, [indices.length, h, w, c], augment, augmentRandom);
        return { inputs: floats, labels: Int32Array.from(indices, (i) => train.labels[i]) };
      };
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let epochLearningRate = training.learningRate;
      let next = prepare(train.readPixels(batches[0]), batches[0]);
      for (let b = 0; b < batches.length; b++) {
        const batchStart = performance.now();
        const batch = await next;
        // Reading (decoding) the next batch starts before this step; with replica threads, so does its
        // conversion and augmentation. If this step throws, the prefetch is abandoned: mark its
        // rejection handled so it cannot crash the process.
        const nextPixels = b + 1 < batches.length ? train.readPixels(batches[b + 1]) : undefined;
        nextPixels?.catch(() => undefined);
        // The schedule's rate for this step, counted over the whole run (constant without a schedule).
        const learningRate = learningRateAt(training, (epoch - 1) * batches.length + b, training.epochs * batches.length);
        epochLearningRate = learningRate;
        const stepped = replicas.trainStep(batch.inputs, batch.labels, { learningRate, epoch });
        if (nextPixels) {
          next = prepare(nextPixels, batches[b + 1]);
          next.catch(() => undefined);
        }
        const { loss, acc } = await stepped;
        if (!Number.isFinite(loss)) {
          throw new Error(`The loss became ${loss} at epoch ${epoch}, batch ${b + 1}: lower the learning rate (now ${learningRate}).`);
        }
        const size = batch.labels.length;
        lossSum += loss * size;
        correct += acc * size;
        seen += size;
        const seconds = (performance.now() - batchStart) / 1000;
        await options.emit({
          type: 'batchEnd', epoch, batch: b + 1, batchesPerEpoch: batches.length, loss, acc,
          learningRate, imagesPerSecond: seconds > 0 ? size / seconds : 0,
        });
        if (signal?.aborted) break;
      }
      if (signal?.aborted) {
        await next.catch(() => undefined);
        status = 'cancelled';
        break;
      }
      const trainSeconds = (performance.now() - epochStart) / 1000;
      const evaluation = val && val.count > 0 ? await evaluateModel(predict, val, classCount, training) : null;
      const valAcc = evaluation ? evaluation.acc : correct / seen;
      const valLoss = evaluation ? evaluation.loss : lossSum / seen;
      const isBest = best === null || valAcc > best.valAcc || (valAcc === best.valAcc && valLoss < best.valLoss);
      if (isBest) {
        best = { epoch, valAcc, valLoss };
        epochsWithoutImprovement = 0;
        bestWeights = await replicas.readWeights();
        await options.onBest?.(exportModel, best, evaluation?.predictions ?? []);
      } else {
        epochsWithoutImprovement += 1;
      }
      const confusion = evaluation?.confusion ?? classes.map(() => classes.map(() => 0));
      await options.emit({
        type: 'epochEnd', time: new Date().toISOString(), epoch,
        loss: lossSum / seen, acc: correct / seen, valLoss, valAcc,
        learningRate: epochLearningRate, imagesPerSecond: seen / trainSeconds,
        durationMs: performance.now() - epochStart,
        confusion, perClass: perClassMetrics(confusion, classes), isBest,
      });
      lastEpoch = epoch;
      await options.onCheckpoint?.(exportModel, { epoch, best, epochsWithoutImprovement });
      if (training.earlyStoppingPatience > 0 && epochsWithoutImprovement >= training.earlyStoppingPatience) {
        await options.emit({
          type: 'log', level: 'info',
          message: `Stopping early after epoch ${epoch}: no better validation accuracy for ${epochsWithoutImprovement} epochs.`,
        });
        break;
      }
    }

    let test: Evaluation | undefined;
    if (status === 'completed' && options.test && options.test.count > 0 && best) {
      const weights = bestWeights ?? await options.loadBestWeights?.();
      if (weights) await replicas.writeWeights(weights);
      test = await evaluateModel(predict, options.test, classCount, training, signal);
      await options.emit({
        type: 'testEnd', epoch: best.epoch, loss: test.loss, acc: test.acc,
        confusion: test.confusion, perClass: perClassMetrics(test.confusion, classes),
      });
    }
    // With replica threads the caller's model was only the template: give it the trained weights.
    if (replicas.threads > 1) setWeightValues(model, await replicas.readWeights());
    return { status, best, lastEpoch, threads: replicas.threads, test };
  } finally {
    if (!options.replicas) await replicas.dispose();
  }
}
