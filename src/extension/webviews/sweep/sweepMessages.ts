// Validates what a sweep tab's page sends (src/protocol/sweepView.ts): the page runs scripts, so its
// messages are untrusted input.
import { isRecord } from '../../../core/guards';
import type { FromSweepView } from '../../../protocol/sweepView';
import { parseCommonViewMessage, parseCompareRunsMessage } from '../viewMessages';

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
    case 'compareRuns':
      return parseCompareRunsMessage(raw);
    default:
      return undefined;
  }
}
