// Validates what a run's dashboard page sends (src/protocol/dashboardView.ts): the page runs scripts,
// so its messages are untrusted input.
import { isIndex, isRecord, isShortString, isString } from '../../../core/guards';
import type { FromDashboardView } from '../../../protocol/dashboardView';
import { MAX_NAME_CHARS, parseCommonViewMessage } from '../viewMessages';

export const MAX_SAMPLE_IMAGES_PER_REQUEST = 200;
const MAX_NOTES_CHARS = 100_000;
const MAX_TAGS = 50;
const MAX_TAG_CHARS = 100;

/** The message when it is well-formed, else undefined (and the panel ignores it). */
export function parseFromDashboardView(raw: unknown): FromDashboardView | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'export':
    case 'openRun':
      return parseCommonViewMessage(raw);
    case 'requestConfusion':
      if (raw.epoch === 'test') return { type: 'requestConfusion', epoch: 'test' };
      return isIndex(raw.epoch) && raw.epoch >= 1 ? { type: 'requestConfusion', epoch: raw.epoch } : undefined;
    case 'requestWeightStatistics':
      return isShortString(raw.layer, MAX_NAME_CHARS) ? { type: 'requestWeightStatistics', layer: raw.layer } : undefined;
    case 'requestSampleImages': {
      const indices = raw.indices;
      if (!Array.isArray(indices) || indices.length > MAX_SAMPLE_IMAGES_PER_REQUEST || !indices.every(isIndex)) return undefined;
      return { type: 'requestSampleImages', indices: [...new Set(indices)] };
    }
    case 'allowDatasetFolder':
      return { type: 'allowDatasetFolder' };
    case 'openSample':
      return isIndex(raw.index) ? { type: 'openSample', index: raw.index } : undefined;
    case 'setNotes': {
      if (!isString(raw.notes) || raw.notes.length > MAX_NOTES_CHARS) return undefined;
      const tags = raw.tags;
      if (!Array.isArray(tags) || tags.length > MAX_TAGS || !tags.every((tag) => isString(tag) && tag.length <= MAX_TAG_CHARS)) return undefined;
      return { type: 'setNotes', notes: raw.notes, tags: tags as string[] };
    }
    case 'applyFix':
      return isShortString(raw.rule, MAX_NAME_CHARS) ? { type: 'applyFix', rule: raw.rule } : undefined;
    default:
      return undefined;
  }
}
