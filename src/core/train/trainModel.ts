// The training loop: seeded shuffles, on-the-fly augmentation, per-batch and per-epoch events,
// validation with a confusion matrix, best-model tracking, early stopping and cancellation between batches.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ExampleSource } from '../data/dataset';
import { augmentBatch } from '../data/augment';
import type { AugmentSpec, ImageShape, TrainingSpec } from '../runSpec';
import { accuracyOf, confusionMatrix, perClassMetrics } from './classificationMetrics';
import { setLearningRate } from './createOptimizer';
import { trainableVariablesAt } from './fineTune';
import { learningRateAt } from './learningRateSchedule';
import { createLoss } from './losses';
import { seededStream, shuffleInPlace } from './seededRandom';
import { predictProbabilities } from './testTimeAugmentation';
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

export type TrainModelEvent = BatchEndEvent | EpochEndEvent | TestEndEvent | LogEvent;

export interface TrainModelOptions {
  /** A compiled model: `model.optimizer` is the optimiser that trains it. */
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
  /** Resume after the epoch this state was saved at. */
  resume?: CheckpointState;
  signal?: AbortSignal;
  emit(event: TrainModelEvent): void | Promise<void>;
  /** Called with the model holding the new best weights, before training continues. */
  onBest?(model: tfl.LayersModel, best: BestEpoch, predictions: Prediction[]): Promise<void>;
  /** Called at the end of every epoch, to save a resumable checkpoint. */
  onCheckpoint?(model: tfl.LayersModel, state: CheckpointState): Promise<void>;
  /** Loads the saved best weights into `model` when the best epoch predates a resume. */
  restoreBestWeights?(model: tfl.LayersModel): Promise<void>;
}

export interface TrainModelResult {
  status: 'completed' | 'cancelled';
  best: BestEpoch | null;
  lastEpoch: number;
  test?: Evaluation;
}

const EVAL_BATCH = 256;

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

function learningRateOf(optimizer: tf.Optimizer): number {
  const config = optimizer.getConfig() as { learningRate?: number };
  return typeof config.learningRate === 'number' ? config.learningRate : Number.NaN;
}

/**
 * Predicts every example of `source` in batches (with the spec's test-time augmentation); returns loss,
 * accuracy, confusion and per-example outcomes.
 */
export async function evaluateModel(
  model: tfl.LayersModel,
  source: ExampleSource,
  imageShape: ImageShape,
  classCount: number,
  training: Pick<TrainingSpec, 'loss' | 'labelSmoothing' | 'testTimeAugmentation'>,
  signal?: AbortSignal,
): Promise<Evaluation> {
  const lossFn = createLoss(training.loss, training.labelSmoothing);
  const [h, w, c] = imageShape;
  const predicted = new Int32Array(source.count);
  const predictions: Prediction[] = [];
  let lossSum = 0;
  const batches = batchesOf(range(source.count), EVAL_BATCH);
  let next = batches.length > 0 ? source.readPixels(batches[0]) : null;
  for (let b = 0; b < batches.length; b++) {
    if (signal?.aborted) break;
    const indices = batches[b];
    const pixels = await next!;
    next = b + 1 < batches.length ? source.readPixels(batches[b + 1]) : null;
    const [lossValue, best, confidence] = tf.tidy(() => {
      const x = tf.tensor4d(toFloatPixels(pixels), [indices.length, h, w, c]);
      const labels = tf.tensor1d(indices.map((i) => source.labels[i]), 'int32');
      const probabilities = predictProbabilities(model, x, training.testTimeAugmentation);
      const loss = lossFn(tf.cast(tf.oneHot(labels, classCount), 'float32') as tf.Tensor2D, probabilities);
      return [loss.dataSync()[0], tf.argMax(probabilities, -1).dataSync(), tf.max(probabilities, -1).dataSync()];
    });
    lossSum += lossValue * indices.length;
    indices.forEach((exampleIndex, k) => {
      predicted[exampleIndex] = best[k];
      predictions.push({
        source: source.sourceOf(exampleIndex),
        label: source.labels[exampleIndex],
        predicted: best[k],
        confidence: confidence[k],
      });
    });
  }
  const confusion = confusionMatrix(source.labels, predicted, classCount);
  return { loss: source.count === 0 ? 0 : lossSum / source.count, acc: accuracyOf(confusion), confusion, predictions };
}

export async function trainModel(options: TrainModelOptions): Promise<TrainModelResult> {
  const { model, classes, imageShape, train, val, training, augment, signal } = options;
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error('trainModel needs a compiled model (model.compile with an optimizer).');
  const lossFn = createLoss(training.loss, training.labelSmoothing);
  const [h, w, c] = imageShape;
  const classCount = classes.length;
  const batchesPerEpoch = Math.ceil(train.count / training.batchSize);
  const augmenting = augment.flip || augment.rotateDegrees > 0 || augment.cropPadding > 0
    || augment.brightness > 0 || augment.contrast > 0 || augment.saturation > 0;

  let best: BestEpoch | null = options.resume?.best ?? null;
  let bestWeights: tf.Tensor[] | null = null;
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
      // Every trainable weight, or only the head's while fine-tuning starts frozen.
      const variables = trainableVariablesAt(model, training, epoch);
      // Shuffles and augmentation depend only on (seed, epoch), so a resumed run sees the same batches.
      const order = shuffleInPlace(range(train.count), seededStream(training.seed, `shuffle:${epoch}`));
      const augmentRandom = seededStream(training.seed, `augment:${epoch}`);
      const batches = batchesOf(order, training.batchSize);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let next: Promise<Uint8Array> = train.readPixels(batches[0]);
      for (let b = 0; b < batches.length; b++) {
        const batchStart = performance.now();
        const indices = batches[b];
        const pixels = await next;
        // Decoding of the next batch (streamed datasets) overlaps this step. If this step throws, the
        // prefetch is abandoned: mark its rejection handled so it cannot crash the process.
        if (b + 1 < batches.length) {
          next = train.readPixels(batches[b + 1]);
          next.catch(() => undefined);
        }
        let floats = toFloatPixels(pixels);
        if (augmenting) floats = augmentBatch(floats, [indices.length, h, w, c], augment, augmentRandom);
        const x = tf.tensor4d(floats, [indices.length, h, w, c]);
        const labelTensor = tf.tensor1d(indices.map((i) => train.labels[i]), 'int32');
        const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labelTensor, classCount), 'float32') as tf.Tensor2D);
        // The schedule's rate for this step, counted over the whole run (constant without a schedule).
        setLearningRate(optimizer, learningRateAt(training, (epoch - 1) * batchesPerEpoch + b, training.epochs * batchesPerEpoch));
        // The batch accuracy comes from the same forward pass as the loss; it escapes the gradient scope via keep().
        const accuracy: { tensor?: tf.Tensor } = {};
        const lossTensor = optimizer.minimize(() => {
          const probabilities = model.apply(x, { training: true }) as tf.Tensor2D;
          accuracy.tensor = tf.keep(tf.mean(tf.cast(tf.equal(tf.argMax(probabilities, -1), labelTensor), 'float32')));
          return lossFn(oneHot, probabilities);
        }, true, variables);
        const loss = lossTensor ? lossTensor.dataSync()[0] : Number.NaN;
        const acc = accuracy.tensor ? accuracy.tensor.dataSync()[0] : 0;
        tf.dispose([x, labelTensor, oneHot, ...(lossTensor ? [lossTensor] : []), ...(accuracy.tensor ? [accuracy.tensor] : [])]);
        if (!Number.isFinite(loss)) {
          throw new Error(`The loss became ${loss} at epoch ${epoch}, batch ${b + 1}: lower the learning rate (now ${training.learningRate}).`);
        }
        lossSum += loss * indices.length;
        correct += acc * indices.length;
        seen += indices.length;
        const seconds = (performance.now() - batchStart) / 1000;
        await options.emit({
          type: 'batchEnd', epoch, batch: b + 1, batchesPerEpoch, loss, acc,
          learningRate: learningRateOf(optimizer), imagesPerSecond: seconds > 0 ? indices.length / seconds : 0,
        });
        if (signal?.aborted) break;
      }
      if (signal?.aborted) {
        await next.catch(() => undefined);
        status = 'cancelled';
        break;
      }
      const trainSeconds = (performance.now() - epochStart) / 1000;
      const evaluation = val && val.count > 0
        ? await evaluateModel(model, val, imageShape, classCount, training)
        : null;
      const valAcc = evaluation ? evaluation.acc : correct / seen;
      const valLoss = evaluation ? evaluation.loss : lossSum / seen;
      const isBest = best === null || valAcc > best.valAcc || (valAcc === best.valAcc && valLoss < best.valLoss);
      if (isBest) {
        best = { epoch, valAcc, valLoss };
        epochsWithoutImprovement = 0;
        tf.dispose(bestWeights ?? []);
        bestWeights = model.getWeights().map((weight) => weight.clone());
        await options.onBest?.(model, best, evaluation?.predictions ?? []);
      } else {
        epochsWithoutImprovement += 1;
      }
      const confusion = evaluation?.confusion ?? classes.map(() => classes.map(() => 0));
      await options.emit({
        type: 'epochEnd', time: new Date().toISOString(), epoch,
        loss: lossSum / seen, acc: correct / seen, valLoss, valAcc,
        learningRate: learningRateOf(optimizer), imagesPerSecond: seen / trainSeconds,
        durationMs: performance.now() - epochStart,
        confusion, perClass: perClassMetrics(confusion, classes), isBest,
      });
      lastEpoch = epoch;
      await options.onCheckpoint?.(model, { epoch, best, epochsWithoutImprovement });
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
      if (bestWeights) model.setWeights(bestWeights);
      else await options.restoreBestWeights?.(model);
      test = await evaluateModel(model, options.test, imageShape, classCount, training, signal);
      await options.emit({
        type: 'testEnd', epoch: best.epoch, loss: test.loss, acc: test.acc,
        confusion: test.confusion, perClass: perClassMetrics(test.confusion, classes),
      });
    }
    return { status, best, lastEpoch, test };
  } finally {
    tf.dispose(bestWeights ?? []);
  }
}
