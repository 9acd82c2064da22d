// Validates what a trainer process sends before the extension acts on it (a child process is untrusted input).
import type { RunStatus, TrainingEvent } from '../core/train/trainingEvents';
import type { FromTrainerMessage, TrainerFinishStatus } from '../protocol/trainer';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numbers(value: Fields, keys: readonly string[]): boolean {
  return keys.every((key) => typeof value[key] === 'number');
}

function strings(value: Fields, keys: readonly string[]): boolean {
  return keys.every((key) => typeof value[key] === 'string');
}

const FINISH_STATUSES: readonly TrainerFinishStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];
const END_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

/** The event when its discriminant and the fields the extension reads have the right types; else null. */
export function parseTrainingEvent(raw: unknown): TrainingEvent | null {
  if (!isObject(raw)) return null;
  switch (raw.type) {
    case 'runStart':
      return strings(raw, ['time', 'backend', 'format'])
        && numbers(raw, ['trainCount', 'valCount', 'testCount', 'parameterCount', 'epochs', 'batchesPerEpoch', 'startEpoch'])
        && Array.isArray(raw.classes) && Array.isArray(raw.imageShape)
        ? raw as unknown as TrainingEvent : null;
    case 'batchEnd':
      return numbers(raw, ['epoch', 'batch', 'batchesPerEpoch', 'loss', 'acc', 'learningRate', 'imagesPerSecond'])
        ? raw as unknown as TrainingEvent : null;
    case 'epochEnd':
      return strings(raw, ['time'])
        && numbers(raw, ['epoch', 'loss', 'acc', 'learningRate', 'imagesPerSecond', 'durationMs'])
        // A run without a validation split sends neither.
        && (raw.valLoss === undefined || typeof raw.valLoss === 'number') && (raw.valAcc === undefined || typeof raw.valAcc === 'number')
        && typeof raw.isBest === 'boolean' && Array.isArray(raw.confusion) && Array.isArray(raw.perClass)
        ? raw as unknown as TrainingEvent : null;
    case 'testEnd':
      return numbers(raw, ['epoch', 'loss', 'acc']) && Array.isArray(raw.confusion) && Array.isArray(raw.perClass)
        ? raw as unknown as TrainingEvent : null;
    case 'log':
      return (raw.level === 'info' || raw.level === 'warn' || raw.level === 'error') && typeof raw.message === 'string'
        ? raw as unknown as TrainingEvent : null;
    case 'runEnd': {
      const best = raw.best;
      const bestOk = best === null || (isObject(best) && numbers(best, ['epoch'])
        && (typeof best.valAcc === 'number' || typeof best.trainAcc === 'number'));
      return typeof raw.time === 'string' && END_STATUSES.includes(raw.status as RunStatus) && bestOk
        && (raw.error === undefined || typeof raw.error === 'string')
        && (raw.testAcc === undefined || typeof raw.testAcc === 'number')
        ? raw as unknown as TrainingEvent : null;
    }
    default:
      return null;
  }
}

/** The message, or null when it is not one the extension understands. */
export function parseFromTrainerMessage(raw: unknown): FromTrainerMessage | null {
  if (!isObject(raw)) return null;
  switch (raw.type) {
    case 'runCreated':
      return strings(raw, ['runId', 'runDir']) ? { type: 'runCreated', runId: raw.runId as string, runDir: raw.runDir as string } : null;
    case 'event': {
      if (typeof raw.runId !== 'string') return null;
      const event = parseTrainingEvent(raw.event);
      return event ? { type: 'event', runId: raw.runId, event } : null;
    }
    case 'finished': {
      if (!FINISH_STATUSES.includes(raw.status as TrainerFinishStatus)) return null;
      if (raw.runId !== undefined && typeof raw.runId !== 'string') return null;
      if (raw.error !== undefined && typeof raw.error !== 'string') return null;
      return {
        type: 'finished', status: raw.status as TrainerFinishStatus,
        ...(raw.runId !== undefined ? { runId: raw.runId as string } : {}),
        ...(raw.error !== undefined ? { error: raw.error as string } : {}),
      };
    }
    default:
      return null;
  }
}
