// Where a model's training steps and predictions run: the contract the training loop drives, met by
// one model in this thread (LocalReplica) or by identical replicas in worker threads (ReplicaPool).
import type { ModelArtifacts } from '../models/modelArtifacts';

/** Mean loss and accuracy of one training batch, from the same forward pass that produced the gradients. */
export interface StepResult {
  loss: number;
  acc: number;
}

/** What one step needs besides its batch. */
export interface StepSettings {
  /** The rate this step applies (a schedule's value at this step). */
  learningRate: number;
  /** 1-based epoch: decides which weights train while fine-tuning starts frozen. */
  epoch: number;
}

export interface TrainingReplicas {
  /** Threads the steps run on: 1 for the model in this thread. */
  readonly threads: number;
  /**
   * One optimiser step on a batch. `inputs` is packed [count, height, width, channels] float pixels in
   * [0, 1], `labels` the class index of each. The arrays may be reused by the caller once the call returns
   * (the promise may still be pending: the step then runs elsewhere while the caller prepares the next batch).
   */
  trainStep(inputs: Float32Array, labels: Int32Array, step: StepSettings): Promise<StepResult>;
  /**
   * Softmax probabilities, packed [count, classes], of packed [count, height, width, channels] inputs
   * (averaged with the mirror images' when the replicas were started with flip test-time augmentation).
   */
  predict(inputs: Float32Array, count: number): Promise<Float32Array>;
  /** Every weight (trainable and not), in the model's getWeights() order. */
  readWeights(): Promise<Float32Array[]>;
  /** Sets every weight, in the model's getWeights() order, on every replica. */
  writeWeights(weights: readonly Float32Array[]): Promise<void>;
  /** The trained model (and, on request, its optimiser's state) as a model folder's content. */
  exportModel(includeOptimizer: boolean): Promise<ModelArtifacts>;
  /** Releases the replicas' threads and memory; the caller's model stays usable. */
  dispose(): Promise<void>;
}

/** Computes softmax probabilities for packed inputs: what evaluation needs from a model. */
export type Predictor = (inputs: Float32Array, count: number) => Promise<Float32Array>;
