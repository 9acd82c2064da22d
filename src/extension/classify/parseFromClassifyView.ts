// Validates what the result webview sends: it is untrusted input like any other page.
import type { FromClassifyView } from '../../protocol/classifyView';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isIndex = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function parseFromClassifyView(raw: unknown): FromClassifyView | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'closeImage':
    case 'chooseModel':
    case 'exportCsv':
      return { type: raw.type };
    case 'openImage':
    case 'revealImage':
      return isIndex(raw.index) ? { type: raw.type, index: raw.index } : undefined;
    case 'openRun':
      return typeof raw.runId === 'string' && raw.runId.length > 0 && raw.runId.length < 200 ? { type: 'openRun', runId: raw.runId } : undefined;
    default:
      return undefined;
  }
}
