// The shapes of a run's JSON files besides run.json: confusion matrices, predictions, checkpoint state.
import type { ClassMetrics } from '../train/trainingEvents';

/** confusion/epoch-NNNN.json (validation split) or confusion/test.json (test split). */
export interface ConfusionFile {
  /** The epoch whose model was evaluated (for the test split: the best epoch). */
  epoch: number;
  split: 'val' | 'test';
  classes: string[];
  /** [classes][classes] example counts: rows = true class, columns = predicted class. */
  matrix: number[][];
  perClass: ClassMetrics[];
}

/** One validation example's outcome; `label` and `predicted` index `classes`. */
export interface PredictionItem {
  /** Where the example came from: a file path, or `file#index` for binary formats. */
  source: string;
  label: number;
  predicted: number;
  /** Softmax probability of the predicted class, in [0, 1]. */
  confidence: number;
}

/** predictions.json: the validation predictions of the best epoch's model. */
export interface PredictionsFile {
  epoch: number;
  classes: string[];
  items: PredictionItem[];
}

/** What training needs to resume after `epoch`, stored as checkpoint/state.json beside the model files. */
export interface CheckpointStateFile {
  epoch: number;
  best: { epoch: number; valAcc: number; valLoss: number } | null;
  epochsWithoutImprovement: number;
  /** ISO 8601 time the checkpoint was written. */
  savedAt: string;
  /** The run's seed; shuffles and augmentation of epoch e are derived from (seed, e), so no RNG state is needed. */
  seed?: number;
}
