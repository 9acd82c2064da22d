// Checks a message from a dashboard webview before anything acts on it: the webview runs
// scripts and its messages are untrusted input.
import type { ExportFormat, WebviewToExtension } from '../../protocol/webview';

/** Largest export accepted (a PNG of a large chart is a few MB as a data URL). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
export const MAX_SAMPLE_IMAGES_PER_REQUEST = 200;
const MAX_NOTES_CHARS = 100_000;
const MAX_TAGS = 50;
const MAX_TAG_CHARS = 100;
const MAX_NAME_CHARS = 200;
const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'png', 'svg'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isShortString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** A file name without folders, for the save dialog's suggestion. */
function isPlainFileName(value: unknown): value is string {
  return isShortString(value, MAX_NAME_CHARS) && !/[\\/\0]/.test(value) && value !== '.' && value !== '..';
}

/** The message when it is well-formed, else undefined (and the caller ignores it). */
export function parseWebviewMessage(value: unknown): WebviewToExtension | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'requestConfusion':
      if (value.epoch === 'test') return { type: 'requestConfusion', epoch: 'test' };
      return isIndex(value.epoch) && value.epoch >= 1 ? { type: 'requestConfusion', epoch: value.epoch } : undefined;
    case 'requestWeightStatistics':
      return isShortString(value.layer, MAX_NAME_CHARS) ? { type: 'requestWeightStatistics', layer: value.layer } : undefined;
    case 'requestSampleImages': {
      const indices = value.indices;
      if (!Array.isArray(indices) || indices.length > MAX_SAMPLE_IMAGES_PER_REQUEST || !indices.every(isIndex)) return undefined;
      return { type: 'requestSampleImages', indices: [...new Set(indices)] };
    }
    case 'openSample':
      return isIndex(value.index) ? { type: 'openSample', index: value.index } : undefined;
    case 'export': {
      const format = EXPORT_FORMATS.find((f) => f === value.format);
      if (format === undefined || !isPlainFileName(value.fileName)) return undefined;
      if (typeof value.content !== 'string' || value.content.length > MAX_EXPORT_CHARS) return undefined;
      if (format === 'png' && !/^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/.test(value.content)) return undefined;
      return { type: 'export', format, fileName: value.fileName, content: value.content };
    }
    case 'setNotes': {
      if (typeof value.notes !== 'string' || value.notes.length > MAX_NOTES_CHARS) return undefined;
      const tags = value.tags;
      if (!Array.isArray(tags) || tags.length > MAX_TAGS || !tags.every((tag) => typeof tag === 'string' && tag.length <= MAX_TAG_CHARS)) return undefined;
      return { type: 'setNotes', notes: value.notes, tags: tags as string[] };
    }
    case 'openRun':
      return isShortString(value.runId, MAX_NAME_CHARS) ? { type: 'openRun', runId: value.runId } : undefined;
    default:
      return undefined;
  }
}
