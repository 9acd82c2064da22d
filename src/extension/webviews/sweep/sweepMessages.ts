// Validates what a sweep tab's page sends (src/protocol/sweepView.ts): the page runs scripts, so its
// messages are untrusted input.
import type { FromSweepView } from '../../../protocol/sweepView';
import { commonViewParsers, messageParser, parseCompareRunsMessage } from '../viewMessages';

export const parseFromSweepView = messageParser<FromSweepView>({
  ...commonViewParsers,
  rerunBest: (raw) => (typeof raw.epochs === 'number' && Number.isInteger(raw.epochs) && raw.epochs >= 1 && raw.epochs <= 10_000 ? { type: 'rerunBest', epochs: raw.epochs } : undefined),
  stopSweep: () => ({ type: 'stopSweep' }),
  resumeSweep: () => ({ type: 'resumeSweep' }),
  compareRuns: parseCompareRunsMessage,
});
