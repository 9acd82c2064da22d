// Validates what a "Find Learning Rate" page sends (src/protocol/lrFinderView.ts): the page runs scripts,
// so its messages are untrusted input.
import { isRecord } from '../../../core/guards';
import type { FromLrFinderView } from '../../../protocol/lrFinderView';
import { parseCommonViewMessage } from '../viewMessages';

/** The largest learning rate a run accepts (as the New Training Run picker does). */
export const MAX_LEARNING_RATE = 10;

/** The message when it is well-formed, else undefined (and the panel ignores it). */
export function parseFromLrFinderView(raw: unknown): FromLrFinderView | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'export': {
      const message = parseCommonViewMessage(raw);
      return message?.type === 'openRun' ? undefined : message;
    }
    case 'startRun': {
      const rate = raw.learningRate;
      return typeof rate === 'number' && Number.isFinite(rate) && rate > 0 && rate <= MAX_LEARNING_RATE ? { type: 'startRun', learningRate: rate } : undefined;
    }
    case 'stop':
      return { type: 'stop' };
    default:
      return undefined;
  }
}
