// Validates the messages every page may send, and `compareRuns` (src/protocol/viewCommon.ts), for the
// parsers of each view.
import { isPath, isRecord, isShortString, isString } from '../../core/guards';
import type { CompareRunsMessage, ExportFormat, ExportMessage, OpenRunMessage, ReadyMessage } from '../../protocol/viewCommon';

/** Largest export accepted (a PNG of a large chart is a few MB as a data URL). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
/** Longest name accepted for a file, a layer or a run id. */
export const MAX_NAME_CHARS = 200;
/** The most runs a page may ask to compare at once (the comparison's own limit). */
const MAX_COMPARED = 50;
const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'png', 'svg'];

/** A file name without folders, for the save dialog's suggestion. */
function isPlainFileName(value: unknown): value is string {
  return isShortString(value, MAX_NAME_CHARS) && isPath(value) && !/[\\/]/.test(value) && value !== '.' && value !== '..';
}

/** `ready`, `export` or `openRun` when `raw` is one of them and well-formed; undefined for anything else. */
export function parseCommonViewMessage(raw: unknown): ReadyMessage | ExportMessage | OpenRunMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'export': {
      const format = EXPORT_FORMATS.find((f) => f === raw.format);
      if (format === undefined || !isPlainFileName(raw.fileName)) return undefined;
      if (!isString(raw.content) || raw.content.length > MAX_EXPORT_CHARS) return undefined;
      if (format === 'png' && !/^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/.test(raw.content)) return undefined;
      return { type: 'export', format, fileName: raw.fileName, content: raw.content };
    }
    case 'openRun':
      return isShortString(raw.runId, MAX_NAME_CHARS) ? { type: 'openRun', runId: raw.runId } : undefined;
    default:
      return undefined;
  }
}

/** `compareRuns` with two to MAX_COMPARED run ids (repeats dropped); undefined for anything else. */
export function parseCompareRunsMessage(raw: unknown): CompareRunsMessage | undefined {
  if (!isRecord(raw) || raw.type !== 'compareRuns') return undefined;
  const ids = raw.runIds;
  if (!Array.isArray(ids) || ids.length < 2 || ids.length > MAX_COMPARED || !ids.every((id) => isShortString(id, MAX_NAME_CHARS))) return undefined;
  return { type: 'compareRuns', runIds: [...new Set(ids as string[])] };
}
