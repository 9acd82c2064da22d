// Where each file of a run lives inside its folder, and which changed paths matter to a viewer.
import { join } from 'node:path';

export const RUN_RECORD_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CONFUSION_DIR = 'confusion';
export const BEST_MODEL_DIR = 'model';
export const CHECKPOINT_DIR = 'checkpoint';
export const CHECKPOINT_STATE_FILE = 'state.json';
export const PREDICTIONS_FILE = 'predictions.json';
export const TRAINER_LOG_FILE = 'trainer.log';
/** Held (as a folder, created atomically) while a process rewrites run.json; dot-named so viewers ignore it. */
export const RECORD_LOCK_DIR = '.run.json.lock';

export interface RunPaths {
  runDir: string;
  record: string;
  metrics: string;
  confusionDir: string;
  bestModelDir: string;
  checkpointDir: string;
  checkpointState: string;
  predictions: string;
  log: string;
  recordLock: string;
}

export function runPaths(runDir: string): RunPaths {
  return {
    runDir,
    record: join(runDir, RUN_RECORD_FILE),
    metrics: join(runDir, METRICS_FILE),
    confusionDir: join(runDir, CONFUSION_DIR),
    bestModelDir: join(runDir, BEST_MODEL_DIR),
    checkpointDir: join(runDir, CHECKPOINT_DIR),
    checkpointState: join(runDir, CHECKPOINT_DIR, CHECKPOINT_STATE_FILE),
    predictions: join(runDir, PREDICTIONS_FILE),
    log: join(runDir, TRAINER_LOG_FILE),
    recordLock: join(runDir, RECORD_LOCK_DIR),
  };
}

/** `epoch-0007.json` for validation epoch 7, `test.json` for the test split. */
export function confusionFileName(epoch: number | 'test'): string {
  return epoch === 'test' ? 'test.json' : `epoch-${String(epoch).padStart(4, '0')}.json`;
}

export type RunFileKind = 'record' | 'metrics' | 'confusion' | 'predictions' | 'log' | 'bestModel' | 'checkpoint';

export interface RunFileChange {
  runId: string;
  kind: RunFileKind;
}

/**
 * Classifies a path relative to the runs folder (`<runId>/<file>`, either slash) for a file watcher.
 * Temporary files of atomic writes and locks (dot-named) and unknown files give undefined;
 * so does a path to a run folder itself, which the caller sees as a run appearing or disappearing.
 */
export function classifyRunPath(relativePath: string): RunFileChange | undefined {
  const parts = relativePath.split(/[\\/]+/).filter((part) => part.length > 0);
  if (parts.length < 2 || parts.some((part) => part.startsWith('.'))) return undefined;
  const [runId, first] = parts;
  const rest = parts.slice(2);
  if (rest.length === 0) {
    switch (first) {
      case RUN_RECORD_FILE: return { runId, kind: 'record' };
      case METRICS_FILE: return { runId, kind: 'metrics' };
      case PREDICTIONS_FILE: return { runId, kind: 'predictions' };
      case TRAINER_LOG_FILE: return { runId, kind: 'log' };
      case BEST_MODEL_DIR: return { runId, kind: 'bestModel' };
      case CHECKPOINT_DIR: return { runId, kind: 'checkpoint' };
      default: return undefined;
    }
  }
  if (first === CONFUSION_DIR && rest.length === 1 && rest[0].endsWith('.json')) return { runId, kind: 'confusion' };
  if (first === BEST_MODEL_DIR) return { runId, kind: 'bestModel' };
  if (first === CHECKPOINT_DIR) return { runId, kind: 'checkpoint' };
  return undefined;
}
