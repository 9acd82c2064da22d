// Starts the replicas a run trains on: a pool of threads when more than one is asked for and they
// start, else the model itself in this thread.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendPreference } from '../backend/selectBackend';
import type { ImageShape, TrainingSpec } from '../runSpec';
import { LocalReplica, type ReplicaTrainingSpec } from './localReplica';
import { ReplicaPool } from './replicas/replicaPool';
import type { TrainingReplicas } from './trainingReplicas';
import { errorMessage } from '../errorMessage';

/** Examples per prediction batch in evaluation; the replicas' buffers hold at least this many. */
export const PREDICT_BATCH = 256;

export interface StartReplicasOptions {
  /** A compiled model: trained in place on one thread, copied to each replica thread otherwise. */
  model: tfl.LayersModel;
  imageShape: ImageShape;
  classCount: number;
  training: ReplicaTrainingSpec & Pick<TrainingSpec, 'batchSize' | 'seed'>;
  threads: number;
  backend: BackendPreference;
  /** Told why training stays on one thread when the replica threads could not start. */
  onFallback?(message: string): void | Promise<void>;
}

export async function startReplicas(options: StartReplicasOptions): Promise<TrainingReplicas> {
  const { model, imageShape, classCount, training } = options;
  const threads = Math.max(1, Math.floor(options.threads));
  const local = () => new LocalReplica(model, imageShape, classCount, training);
  if (threads === 1) return local();
  try {
    return await ReplicaPool.start({
      model, threads, imageShape, classCount, capacity: Math.max(training.batchSize, PREDICT_BATCH),
      training: {
        loss: training.loss, labelSmoothing: training.labelSmoothing,
        freezeEpochs: training.freezeEpochs, testTimeAugmentation: training.testTimeAugmentation,
      },
      seed: training.seed, backend: options.backend,
    });
  } catch (error) {
    await options.onFallback?.(`Training on one thread: the ${threads} training threads did not start (${errorMessage(error)}).`);
    return local();
  }
}
