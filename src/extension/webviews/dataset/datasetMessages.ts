// Validates what a dataset tab's page sends (src/protocol/datasetView.ts): it is untrusted input like any
// page. Sources are checked here for shape only; the panel accepts only sources its report names.
import { isPath, isRecord } from '../../../core/guards';
import type { FromDatasetView } from '../../../protocol/datasetView';
import { MAX_NAME_CHARS, parseCommonViewMessage } from '../viewMessages';

export const MAX_PIXELS_PER_REQUEST = 200;
const MAX_SOURCE_CHARS = 4096;

function isSource(value: unknown): value is string {
  return isPath(value) && value.length <= MAX_SOURCE_CHARS;
}

export function parseFromDatasetView(raw: unknown): FromDatasetView | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'refresh':
    case 'cancel':
    case 'chooseRun':
    case 'clearRun':
      return { type: raw.type };
    case 'open':
    case 'moveToClass':
      return isSource(raw.source) ? { type: raw.type, source: raw.source } : undefined;
    case 'requestPixels': {
      const sources = raw.sources;
      if (!Array.isArray(sources) || sources.length === 0 || sources.length > MAX_PIXELS_PER_REQUEST || !sources.every(isSource)) return undefined;
      return { type: 'requestPixels', sources: [...new Set(sources)] };
    }
    case 'ready':
    case 'openRun': {
      const message = parseCommonViewMessage(raw);
      return message?.type === 'ready' || (message?.type === 'openRun' && message.runId.length <= MAX_NAME_CHARS) ? message : undefined;
    }
    default:
      return undefined;
  }
}
