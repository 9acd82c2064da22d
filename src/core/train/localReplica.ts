// Training steps and predictions on the caller's own model, in this thread: the one-thread case, and
// the fallback when worker threads cannot start.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { modelToArtifacts, type ModelArtifacts } from '../models/modelArtifacts';
import type { ImageShape, TrainingSpec, TtaKind } from '../runSpec';
import { setLearningRate } from './createOptimizer';
import { trainableVariablesAt } from './fineTune';
import { createLoss } from './losses';
import { predictProbabilities } from './testTimeAugmentation';
import type { StepResult, StepSettings, TrainingReplicas } from './trainingReplicas';

/** What replicas need of a run's training spec: its loss, which weights train when, and how to predict. */
export type ReplicaTrainingSpec = Pick<TrainingSpec, 'loss' | 'labelSmoothing' | 'freezeEpochs' | 'testTimeAugmentation'>;

export class LocalReplica implements TrainingReplicas {
  readonly threads = 1;
  private readonly lossFn;
  private readonly optimizer: tf.Optimizer | undefined;

  /** To train, `model` must be compiled (its optimiser trains it); an uncompiled model only predicts. */
  constructor(
    private readonly model: tfl.LayersModel,
    private readonly imageShape: ImageShape,
    private readonly classCount: number,
    private readonly training: ReplicaTrainingSpec,
  ) {
    this.optimizer = model.optimizer;
    this.lossFn = createLoss(training.loss, training.labelSmoothing);
  }

  async trainStep(inputs: Float32Array, labels: Int32Array, step: StepSettings): Promise<StepResult> {
    if (!this.optimizer) throw new Error('Training needs a compiled model (model.compile with an optimizer).');
    const variables = trainableVariablesAt(this.model, this.training, step.epoch);
    return trainOnBatch(this.model, this.optimizer, this.lossFn, inputs, labels, this.imageShape, this.classCount, step.learningRate, variables);
  }

  async predict(inputs: Float32Array, count: number): Promise<Float32Array> {
    return predictBatch(this.model, inputs, count, this.imageShape, this.training.testTimeAugmentation);
  }

  async readWeights(): Promise<Float32Array[]> {
    return this.model.getWeights().map((weight) => Float32Array.from(weight.dataSync()));
  }

  async writeWeights(weights: readonly Float32Array[]): Promise<void> {
    setWeightValues(this.model, weights);
  }

  exportModel(includeOptimizer: boolean): Promise<ModelArtifacts> {
    return modelToArtifacts(this.model, { includeOptimizer });
  }

  async dispose(): Promise<void> {
    // The model belongs to the caller.
  }
}

/** One optimiser step on packed float inputs; returns the batch's mean loss and accuracy. */
export function trainOnBatch(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  lossFn: ReturnType<typeof createLoss>,
  inputs: Float32Array,
  labels: Int32Array,
  imageShape: ImageShape,
  classCount: number,
  learningRate: number,
  variables: tf.Variable[],
): StepResult {
  const [h, w, c] = imageShape;
  setLearningRate(optimizer, learningRate);
  const x = tf.tensor4d(inputs, [labels.length, h, w, c]);
  const labelTensor = tf.tensor1d(labels, 'int32');
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labelTensor, classCount), 'float32') as tf.Tensor2D);
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
  return { loss, acc };
}

/** Softmax probabilities [count, classes] of packed float inputs (with flip test-time augmentation: averaged with the mirror images'). */
export function predictBatch(model: tfl.LayersModel, inputs: Float32Array, count: number, imageShape: ImageShape, tta?: TtaKind): Float32Array {
  const [h, w, c] = imageShape;
  return tf.tidy(() => {
    const x = tf.tensor4d(inputs.subarray(0, count * h * w * c), [count, h, w, c]);
    return predictProbabilities(model, x, tta).dataSync() as Float32Array;
  });
}

/** Sets a model's weights (getWeights() order) from plain arrays. */
export function setWeightValues(model: tfl.LayersModel, weights: readonly Float32Array[]): void {
  const current = model.getWeights();
  if (current.length !== weights.length) throw new Error(`Expected ${current.length} weight arrays, got ${weights.length}.`);
  const tensors = current.map((weight, i) => tf.tensor(weights[i], weight.shape, weight.dtype));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

