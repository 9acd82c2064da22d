// Validates what a dataset tab's page sends (src/protocol/datasetView.ts): it is untrusted input like any
// page. Sources are checked here for shape only; the panel accepts only sources its report names.
import { isPath } from '../../../core/guards';
import type { FromDatasetView } from '../../../protocol/datasetView';
import { commonViewParsers, messageParser } from '../viewMessages';

export const MAX_PIXELS_PER_REQUEST = 200;
const MAX_SOURCE_CHARS = 4096;

function isSource(value: unknown): value is string {
  return isPath(value) && value.length <= MAX_SOURCE_CHARS;
}

function sourceMessage<T extends 'open' | 'moveToClass'>(type: T): (raw: Record<string, unknown>) => { type: T; source: string } | undefined {
  return (raw) => (isSource(raw.source) ? { type, source: raw.source } : undefined);
}

export const parseFromDatasetView = messageParser<FromDatasetView>({
  ready: commonViewParsers.ready,
  openRun: commonViewParsers.openRun,
  refresh: () => ({ type: 'refresh' }),
  cancel: () => ({ type: 'cancel' }),
  chooseRun: () => ({ type: 'chooseRun' }),
  clearRun: () => ({ type: 'clearRun' }),
  open: sourceMessage('open'),
  moveToClass: sourceMessage('moveToClass'),
  requestPixels: (raw) => {
    const sources = raw.sources;
    if (!Array.isArray(sources) || sources.length === 0 || sources.length > MAX_PIXELS_PER_REQUEST || !sources.every(isSource)) return undefined;
    return { type: 'requestPixels', sources: [...new Set(sources)] };
  },
});
