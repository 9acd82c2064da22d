// Validates both directions of the inference process's IPC channel (src/protocol/inference.ts): what the
// extension host asks, and what the process answers. Either side is untrusted input to the other.
import type { SaliencyMap } from '../../core/inspect/saliencyMap';
import { MODEL_KINDS } from '../../core/runSpec';
import { isBoolean, isIndex, isInteger, isOneOf, isOptional, isPath, isProbability, isRecord, isString } from '../../core/guards';
import type { ClassScore, FromInference, InferenceModelInfo, ToInference } from '../../protocol/inference';

/** Upper bounds that keep one message from asking for unbounded work or memory. */
export const MAX_IMAGES_PER_REQUEST = 100_000;
export const MAX_TOP_K = 1_000;

/** What keeps `raw` from being a request the inference process understands (the first problem found), or undefined when it is one. */
export function toInferenceProblem(raw: unknown): string | undefined {
  if (!isRecord(raw)) return 'not an object';
  if (!isIndex(raw.id)) return 'id must be a non-negative whole number';
  if (raw.type === 'cancel') return undefined;
  if (raw.type !== 'classify') return `unknown message type ${JSON.stringify(raw.type)?.slice(0, 40)}`;
  if (!isPath(raw.runDir)) return 'runDir must be a non-empty path';
  const images = raw.images;
  if (!Array.isArray(images) || images.length === 0 || images.length > MAX_IMAGES_PER_REQUEST) return `images must list 1 to ${MAX_IMAGES_PER_REQUEST} paths`;
  if (!images.every(isPath)) return 'every image must be a non-empty path';
  if (!isIndex(raw.topK) || raw.topK < 1 || raw.topK > MAX_TOP_K) return `topK must be a whole number from 1 to ${MAX_TOP_K}`;
  if (!isBoolean(raw.saliency)) return 'saliency must be true or false';
  return undefined;
}

/** The request, or undefined when it is not one the inference process understands (`toInferenceProblem` says why). */
export function parseToInference(raw: unknown): ToInference | undefined {
  if (toInferenceProblem(raw) !== undefined) return undefined;
  const message = raw as Extract<ToInference, { type: 'classify' }> | Extract<ToInference, { type: 'cancel' }>;
  if (message.type === 'cancel') return { type: 'cancel', id: message.id };
  return { type: 'classify', id: message.id, runDir: message.runDir, images: [...message.images], topK: message.topK, saliency: message.saliency };
}

function isClassScore(value: unknown): value is ClassScore {
  return isRecord(value) && isString(value.label) && isProbability(value.probability);
}

function isSaliency(value: unknown): value is SaliencyMap {
  if (!isRecord(value) || !isOneOf(value.method, ['grad-cam', 'integrated-gradients']) || !isInteger(value.classIndex)) return false;
  if (!isOptional(value.layer, isString)) return false;
  const rows = value.values;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > 4096) return false;
  const width = (rows[0] as unknown[] | undefined)?.length;
  return rows.every((row: unknown) => Array.isArray(row) && row.length === width && row.every(isProbability));
}

function isModelInfo(value: unknown): value is InferenceModelInfo {
  if (!isRecord(value) || !isString(value.runId) || !isString(value.runName) || !isString(value.runDir)) return false;
  if (!Array.isArray(value.classes) || !value.classes.every(isString)) return false;
  const shape = value.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => isInteger(d) && d > 0)) return false;
  return isOptional(value.accuracy, isProbability) && isOptional(value.trainAccuracy, isProbability) && isOptional(value.modelKind, (kind) => isOneOf(kind, MODEL_KINDS));
}

/** The message, or undefined when it is not one the inference process is meant to send. */
export function parseFromInference(raw: unknown): FromInference | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return isString(raw.backend) ? { type: 'ready', backend: raw.backend } : undefined;
    case 'model':
      return isInteger(raw.id) && isModelInfo(raw.model) ? { type: 'model', id: raw.id, model: raw.model } : undefined;
    case 'result':
      if (!isInteger(raw.id) || !isInteger(raw.index) || !isString(raw.image)) return undefined;
      if (!Array.isArray(raw.top) || !raw.top.every(isClassScore) || !isOptional(raw.saliency, isSaliency) || !isOptional(raw.saliencyError, isString)) return undefined;
      return {
        type: 'result', id: raw.id, index: raw.index, image: raw.image, top: raw.top,
        ...(raw.saliency !== undefined ? { saliency: raw.saliency } : {}),
        ...(raw.saliencyError !== undefined ? { saliencyError: raw.saliencyError } : {}),
      };
    case 'error':
      if (!isInteger(raw.id) || !isString(raw.message) || !isOptional(raw.index, isInteger) || !isOptional(raw.image, isString)) return undefined;
      return {
        type: 'error', id: raw.id, message: raw.message,
        ...(raw.index !== undefined ? { index: raw.index } : {}),
        ...(raw.image !== undefined ? { image: raw.image } : {}),
      };
    case 'done':
      if (!isInteger(raw.id) || !isInteger(raw.classified) || !isInteger(raw.failed) || !isBoolean(raw.cancelled) || typeof raw.elapsedMs !== 'number') return undefined;
      return { type: 'done', id: raw.id, classified: raw.classified, failed: raw.failed, cancelled: raw.cancelled, elapsedMs: raw.elapsedMs };
    default:
      return undefined;
  }
}
