// Validates what arrives on the inference process's IPC channel before it is used.
import type { ToInferenceMessage } from '../protocol/inference';

/** Upper bounds that keep one message from asking for unbounded work or memory. */
export const MAX_IMAGES_PER_REQUEST = 100_000;
export const MAX_TOP_K = 1_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const isPath = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && !value.includes('\0');

/** The message, or a reason it is not one the inference process understands. */
export function parseToInferenceMessage(raw: unknown): { message: ToInferenceMessage } | { problem: string } {
  if (!isObject(raw)) return { problem: 'not an object' };
  if (!isRequestId(raw.id)) return { problem: 'id must be a non-negative whole number' };
  if (raw.type === 'cancel') return { message: { type: 'cancel', id: raw.id } };
  if (raw.type !== 'classify') return { problem: `unknown message type ${JSON.stringify(raw.type)?.slice(0, 40)}` };
  if (!isPath(raw.runDir)) return { problem: 'runDir must be a non-empty path' };
  if (!Array.isArray(raw.images) || raw.images.length === 0 || raw.images.length > MAX_IMAGES_PER_REQUEST) {
    return { problem: `images must list 1 to ${MAX_IMAGES_PER_REQUEST} paths` };
  }
  if (!raw.images.every(isPath)) return { problem: 'every image must be a non-empty path' };
  if (typeof raw.topK !== 'number' || !Number.isInteger(raw.topK) || raw.topK < 1 || raw.topK > MAX_TOP_K) {
    return { problem: `topK must be a whole number from 1 to ${MAX_TOP_K}` };
  }
  if (typeof raw.saliency !== 'boolean') return { problem: 'saliency must be true or false' };
  return {
    message: { type: 'classify', id: raw.id, runDir: raw.runDir, images: [...raw.images], topK: raw.topK, saliency: raw.saliency },
  };
}
