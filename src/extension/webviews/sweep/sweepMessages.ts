// Validates what a sweep tab's page sends (src/protocol/sweepView.ts): the page runs scripts, so its
// messages are untrusted input.
import { isRecord, isShortString } from '../../../core/guards';
import type { FromSweepView } from '../../../protocol/sweepView';
import { MAX_NAME_CHARS, parseCommonViewMessage } from '../viewMessages';

/** The most runs the page may ask to compare at once. */
const MAX_COMPARED = 50;

export function parseFromSweepView(raw: unknown): FromSweepView | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'export':
    case 'openRun':
      return parseCommonViewMessage(raw);
    case 'rerunBest':
      return typeof raw.epochs === 'number' && Number.isInteger(raw.epochs) && raw.epochs >= 1 && raw.epochs <= 10_000 ? { type: 'rerunBest', epochs: raw.epochs } : undefined;
    case 'stopSweep':
      return { type: 'stopSweep' };
    case 'resumeSweep':
      return { type: 'resumeSweep' };
    case 'compareRuns': {
      const ids = raw.runIds;
      if (!Array.isArray(ids) || ids.length < 2 || ids.length > MAX_COMPARED || !ids.every((id) => isShortString(id, MAX_NAME_CHARS))) return undefined;
      return { type: 'compareRuns', runIds: [...new Set(ids as string[])] };
    }
    default:
      return undefined;
  }
}
