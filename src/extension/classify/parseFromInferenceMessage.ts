// Validates what the inference process sends before the extension uses it.
import type { SaliencyMap } from '../../core/inspect/saliencyMap';
import type { ClassScore, FromInferenceMessage, InferenceModelInfo } from '../../protocol/inference';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isProbability = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 1;

function isClassScore(value: unknown): value is ClassScore {
  return isObject(value) && isString(value.label) && isProbability(value.probability);
}

function isSaliency(value: unknown): value is SaliencyMap {
  if (!isObject(value) || (value.method !== 'grad-cam' && value.method !== 'integrated-gradients') || !isInt(value.classIndex)) return false;
  if (value.layer !== undefined && !isString(value.layer)) return false;
  const rows = value.values;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > 4096) return false;
  const width = (rows[0] as unknown[] | undefined)?.length;
  return rows.every((row: unknown) => Array.isArray(row) && row.length === width && row.every(isProbability));
}

function isModelInfo(value: unknown): value is InferenceModelInfo {
  if (!isObject(value) || !isString(value.runId) || !isString(value.runName) || !isString(value.runDir)) return false;
  if (!Array.isArray(value.classes) || !value.classes.every(isString)) return false;
  const shape = value.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => isInt(d) && d > 0)) return false;
  if (value.accuracy !== undefined && !isProbability(value.accuracy)) return false;
  return value.modelKind === undefined || value.modelKind === 'cnn' || value.modelKind === 'rnn' || value.modelKind === 'attention';
}

/** The message, or undefined when it is not one the inference process is meant to send. */
export function parseFromInferenceMessage(raw: unknown): FromInferenceMessage | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return isString(raw.backend) ? { type: 'ready', backend: raw.backend } : undefined;
    case 'model':
      return isInt(raw.id) && isModelInfo(raw.model) ? { type: 'model', id: raw.id, model: raw.model } : undefined;
    case 'result':
      if (!isInt(raw.id) || !isInt(raw.index) || !isString(raw.image)) return undefined;
      if (!Array.isArray(raw.top) || !raw.top.every(isClassScore)) return undefined;
      if (raw.saliency !== undefined && !isSaliency(raw.saliency)) return undefined;
      return {
        type: 'result', id: raw.id, index: raw.index, image: raw.image, top: raw.top,
        ...(raw.saliency !== undefined ? { saliency: raw.saliency } : {}),
      };
    case 'error':
      if (!isInt(raw.id) || !isString(raw.message)) return undefined;
      if ((raw.index !== undefined && !isInt(raw.index)) || (raw.image !== undefined && !isString(raw.image))) return undefined;
      return {
        type: 'error', id: raw.id, message: raw.message,
        ...(raw.index !== undefined ? { index: raw.index } : {}),
        ...(raw.image !== undefined ? { image: raw.image } : {}),
      };
    case 'done':
      if (!isInt(raw.id) || !isInt(raw.classified) || !isInt(raw.failed) || typeof raw.cancelled !== 'boolean' || typeof raw.elapsedMs !== 'number') return undefined;
      return { type: 'done', id: raw.id, classified: raw.classified, failed: raw.failed, cancelled: raw.cancelled, elapsedMs: raw.elapsedMs };
    default:
      return undefined;
  }
}
