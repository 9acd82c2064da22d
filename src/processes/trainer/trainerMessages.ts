// Validates both directions of the trainer's IPC channel (src/protocol/trainer.ts): what the extension
// host sends a trainer, and what a trainer sends back. Either side is untrusted input to the other.
import type { RunSpec } from '../../core/runSpec';
import type { RunStatus, TrainingEvent } from '../../core/train/trainingEvents';
import { parseThreadsRequest } from '../../core/train/trainingThreads';
import { hasNumbers, hasStrings, isOneOf, isOptional, isRecord, isString, type Fields } from '../../core/guards';
import type { BackendChoice, FromTrainer, ToTrainer, TrainerFinishStatus } from '../../protocol/trainer';

const BACKENDS: readonly BackendChoice[] = ['auto', 'native', 'wasm'];
const FINISH_STATUSES: readonly TrainerFinishStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];
const END_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

function isRunSpecShape(value: unknown): value is RunSpec {
  return isRecord(value) && isRecord(value.data) && isRecord(value.model) && isRecord(value.training) && isRecord(value.augment);
}

/** The message, or undefined when it is not one a trainer understands. The run spec's values are validated by the engine. */
export function parseToTrainer(raw: unknown): ToTrainer | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === 'stop') return { type: 'stop' };
  if (raw.type !== 'start') return undefined;
  if (!isString(raw.runsDir) || raw.runsDir.length === 0 || !isRunSpecShape(raw.spec) || !isOneOf(raw.backend, BACKENDS)) return undefined;
  if (!isOptional(raw.name, isString) || !isOptional(raw.resumeRunId, isString)) return undefined;
  if (raw.threads !== undefined && (typeof raw.threads !== 'number' || parseThreadsRequest(raw.threads) === undefined)) return undefined;
  return {
    type: 'start', runsDir: raw.runsDir, spec: raw.spec, backend: raw.backend,
    ...(raw.name !== undefined ? { name: raw.name } : {}),
    ...(typeof raw.threads === 'number' ? { threads: raw.threads } : {}),
    ...(raw.resumeRunId !== undefined ? { resumeRunId: raw.resumeRunId } : {}),
  };
}

function accept(raw: Fields, ok: boolean): TrainingEvent | undefined {
  return ok ? raw as unknown as TrainingEvent : undefined;
}

/** The event when its discriminant and the fields the extension reads have the right types. */
export function parseTrainingEvent(raw: unknown): TrainingEvent | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'runStart':
      return accept(raw, hasStrings(raw, ['time', 'backend', 'format'])
        && hasNumbers(raw, ['trainCount', 'valCount', 'testCount', 'parameterCount', 'epochs', 'batchesPerEpoch', 'startEpoch'])
        && Array.isArray(raw.classes) && Array.isArray(raw.imageShape));
    case 'batchEnd':
      return accept(raw, hasNumbers(raw, ['epoch', 'batch', 'batchesPerEpoch', 'loss', 'acc', 'learningRate', 'imagesPerSecond']));
    case 'epochEnd':
      return accept(raw, hasStrings(raw, ['time'])
        && hasNumbers(raw, ['epoch', 'loss', 'acc', 'valLoss', 'valAcc', 'learningRate', 'imagesPerSecond', 'durationMs'])
        && typeof raw.isBest === 'boolean' && Array.isArray(raw.confusion) && Array.isArray(raw.perClass));
    case 'testEnd':
      return accept(raw, hasNumbers(raw, ['epoch', 'loss', 'acc']) && Array.isArray(raw.confusion) && Array.isArray(raw.perClass));
    case 'log':
      return accept(raw, isOneOf(raw.level, ['info', 'warn', 'error']) && isString(raw.message));
    case 'runEnd': {
      const best = raw.best;
      const bestOk = best === null || (isRecord(best) && hasNumbers(best, ['epoch', 'valAcc']));
      return accept(raw, isString(raw.time) && isOneOf(raw.status, END_STATUSES) && bestOk
        && isOptional(raw.error, isString) && (raw.testAcc === undefined || typeof raw.testAcc === 'number'));
    }
    default:
      return undefined;
  }
}

/** The message, or undefined when it is not one the extension understands. */
export function parseFromTrainer(raw: unknown): FromTrainer | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'runCreated':
      return hasStrings(raw, ['runId', 'runDir', 'name'])
        ? { type: 'runCreated', runId: raw.runId as string, runDir: raw.runDir as string, name: raw.name as string } : undefined;
    case 'event': {
      if (!isString(raw.runId)) return undefined;
      const event = parseTrainingEvent(raw.event);
      return event ? { type: 'event', runId: raw.runId, event } : undefined;
    }
    case 'finished':
      if (!isOneOf(raw.status, FINISH_STATUSES) || !isOptional(raw.runId, isString) || !isOptional(raw.error, isString)) return undefined;
      return {
        type: 'finished', status: raw.status,
        ...(raw.runId !== undefined ? { runId: raw.runId } : {}),
        ...(raw.error !== undefined ? { error: raw.error } : {}),
      };
    default:
      return undefined;
  }
}
