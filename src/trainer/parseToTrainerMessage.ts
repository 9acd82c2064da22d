// Validates what arrives on the trainer's IPC channel before it is used.
import type { ToTrainerMessage } from '../protocol/trainer';
import type { RunSpec } from '../core/runSpec';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRunSpecShape(value: unknown): value is RunSpec {
  return isObject(value) && isObject(value.data) && isObject(value.model) && isObject(value.training) && isObject(value.augment);
}

/** The message, or null when it is not one the trainer understands. The run spec's values are validated by the engine. */
export function parseToTrainerMessage(raw: unknown): ToTrainerMessage | null {
  if (!isObject(raw)) return null;
  if (raw.type === 'stop') return { type: 'stop' };
  if (raw.type !== 'start') return null;
  if (typeof raw.runsDir !== 'string' || raw.runsDir.length === 0 || !isRunSpecShape(raw.spec)) return null;
  if (raw.backend !== 'auto' && raw.backend !== 'native' && raw.backend !== 'wasm') return null;
  if (raw.name !== undefined && typeof raw.name !== 'string') return null;
  if (raw.resumeRunId !== undefined && typeof raw.resumeRunId !== 'string') return null;
  return {
    type: 'start', runsDir: raw.runsDir, spec: raw.spec, backend: raw.backend,
    ...(raw.name !== undefined ? { name: raw.name } : {}),
    ...(raw.resumeRunId !== undefined ? { resumeRunId: raw.resumeRunId } : {}),
  };
}
