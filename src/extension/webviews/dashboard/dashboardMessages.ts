// Validates what a run's dashboard page sends (src/protocol/dashboardView.ts): the page runs scripts,
// so its messages are untrusted input.
import { isIndex, isShortString, isString } from '../../../core/guards';
import type { FromDashboardView } from '../../../protocol/dashboardView';
import { commonViewParsers, MAX_NAME_CHARS, messageParser } from '../viewMessages';

export const MAX_SAMPLE_IMAGES_PER_REQUEST = 200;
const MAX_NOTES_CHARS = 100_000;
const MAX_TAGS = 50;
const MAX_TAG_CHARS = 100;

export const parseFromDashboardView = messageParser<FromDashboardView>({
  ...commonViewParsers,
  requestConfusion: (raw) => {
    if (raw.epoch === 'test') return { type: 'requestConfusion', epoch: 'test' };
    return isIndex(raw.epoch) && raw.epoch >= 1 ? { type: 'requestConfusion', epoch: raw.epoch } : undefined;
  },
  requestWeightStatistics: (raw) => (isShortString(raw.layer, MAX_NAME_CHARS) ? { type: 'requestWeightStatistics', layer: raw.layer } : undefined),
  requestSampleImages: (raw) => {
    const indices = raw.indices;
    if (!Array.isArray(indices) || indices.length > MAX_SAMPLE_IMAGES_PER_REQUEST || !indices.every(isIndex)) return undefined;
    return { type: 'requestSampleImages', indices: [...new Set(indices)] };
  },
  allowDatasetFolder: () => ({ type: 'allowDatasetFolder' }),
  openSample: (raw) => (isIndex(raw.index) ? { type: 'openSample', index: raw.index } : undefined),
  setNotes: (raw) => {
    if (!isString(raw.notes) || raw.notes.length > MAX_NOTES_CHARS) return undefined;
    const tags = raw.tags;
    if (!Array.isArray(tags) || tags.length > MAX_TAGS || !tags.every((tag) => isString(tag) && tag.length <= MAX_TAG_CHARS)) return undefined;
    return { type: 'setNotes', notes: raw.notes, tags: tags as string[] };
  },
  applyFix: (raw) => (isShortString(raw.rule, MAX_NAME_CHARS) ? { type: 'applyFix', rule: raw.rule } : undefined),
});
