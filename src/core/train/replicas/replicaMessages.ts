// Messages between a replica pool (the training loop's thread) and its replica threads.
import type { BackendPreference } from '../../backend/selectBackend';
import type { ModelArtifacts } from '../../models/modelArtifacts';
import type { ImageShape } from '../../runSpec';
import type { ReplicaTrainingSpec } from '../localReplica';
import type { ReplicaBuffers, ReplicaLayout } from './replicaMemory';

export interface ReplicaInit {
  type: 'init';
  /** This thread's place among `layout.threads`. */
  index: number;
  layout: ReplicaLayout;
  buffers: ReplicaBuffers;
  /** The model to replicate, with its optimiser's configuration and state. */
  artifacts: ModelArtifacts;
  imageShape: ImageShape;
  training: ReplicaTrainingSpec;
  /** Seeds this thread's own random draws (dropout masks). */
  seed: number;
  backend: BackendPreference;
}

export type ToReplica =
  | ReplicaInit
  | { type: 'step'; id: number; count: number; learningRate: number; epoch: number; parity: 0 | 1 }
  | { type: 'predict'; id: number; count: number }
  | { type: 'readWeights'; id: number }
  | { type: 'writeWeights'; id: number; weights: Float32Array[] }
  | { type: 'export'; id: number; includeOptimizer: boolean };

export type FromReplica =
  | { type: 'ready'; index: number; backend: string }
  | { type: 'stepped'; id: number; lossSum: number; correct: number }
  | { type: 'done'; id: number }
  | { type: 'weights'; id: number; weights: Float32Array[] }
  | { type: 'exported'; id: number; artifacts: ModelArtifacts }
  | { type: 'failed'; id?: number; message: string };
