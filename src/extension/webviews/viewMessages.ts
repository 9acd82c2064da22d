// The one parser contract of every view (a table of one parser per message type), and the parsers of the
// messages every page may send and of `compareRuns` (src/protocol/viewCommon.ts).
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

/** One parser per message type of a view's union, each given a record whose `type` is its own. */
export type MessageParsers<T extends { type: string }> = { [K in T['type']]: (raw: Record<string, unknown>) => Extract<T, { type: K }> | undefined };

/** A view's parser: the message when it is well-formed and of a type the table names, else undefined (the panel ignores it). */
export function messageParser<T extends { type: string }>(parsers: MessageParsers<T>): (raw: unknown) => T | undefined {
  return (raw) => {
    if (!isRecord(raw) || typeof raw.type !== 'string' || !Object.prototype.hasOwnProperty.call(parsers, raw.type)) return undefined;
    return (parsers[raw.type as T['type']] as (raw: Record<string, unknown>) => T | undefined)(raw);
  };
}

/** Parsers of the messages every page may send: `ready`, `export` and `openRun`. */
export const commonViewParsers: MessageParsers<ReadyMessage | ExportMessage | OpenRunMessage> = {
  ready: () => ({ type: 'ready' }),
  export: (raw) => {
    const format = EXPORT_FORMATS.find((f) => f === raw.format);
    if (format === undefined || !isPlainFileName(raw.fileName)) return undefined;
    if (!isString(raw.content) || raw.content.length > MAX_EXPORT_CHARS) return undefined;
    if (format === 'png' && !/^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/.test(raw.content)) return undefined;
    return { type: 'export', format, fileName: raw.fileName, content: raw.content };
  },
  openRun: (raw) => (isShortString(raw.runId, MAX_NAME_CHARS) ? { type: 'openRun', runId: raw.runId } : undefined),
};

/** `ready`, `export` or `openRun` when `raw` is one of them and well-formed; undefined for anything else. */
export const parseCommonViewMessage = messageParser(commonViewParsers);

/** `compareRuns` with two to MAX_COMPARED run ids (repeats dropped). */
export function parseCompareRunsMessage(raw: Record<string, unknown>): CompareRunsMessage | undefined {
  const ids = raw.runIds;
  if (!Array.isArray(ids) || ids.length < 2 || ids.length > MAX_COMPARED || !ids.every((id) => isShortString(id, MAX_NAME_CHARS))) return undefined;
  return { type: 'compareRuns', runIds: [...new Set(ids as string[])] };
}
