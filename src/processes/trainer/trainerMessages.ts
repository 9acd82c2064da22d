// Validates both directions of the trainer's IPC channel (src/protocol/trainer.ts): what the extension
// host sends a trainer, and what a trainer sends back. Either side is untrusted input to the other.
import type { RunSpec } from '../../core/runSpec';
import { parseTrainingEvent } from '../../core/runs/parseTrainingEvent';
import { parseThreadsRequest } from '../../core/train/trainingThreads';
import { hasStrings, isOneOf, isOptional, isRecord, isString } from '../../core/guards';
import type { BackendChoice, FromTrainer, ToTrainer, TrainerFinishStatus } from '../../protocol/trainer';

const BACKENDS: readonly BackendChoice[] = ['auto', 'native', 'wasm'];
const FINISH_STATUSES: readonly TrainerFinishStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];

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
