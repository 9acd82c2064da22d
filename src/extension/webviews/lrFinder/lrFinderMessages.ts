// Validates what a "Find Learning Rate" page sends (src/protocol/lrFinderView.ts): the page runs scripts,
// so its messages are untrusted input.
import type { FromLrFinderView } from '../../../protocol/lrFinderView';
import { commonViewParsers, messageParser } from '../viewMessages';

/** The largest learning rate a run accepts (as the New Training Run picker does). */
export const MAX_LEARNING_RATE = 10;

export const parseFromLrFinderView = messageParser<FromLrFinderView>({
  ready: commonViewParsers.ready,
  export: commonViewParsers.export,
  startRun: (raw) => {
    const rate = raw.learningRate;
    return typeof rate === 'number' && Number.isFinite(rate) && rate > 0 && rate <= MAX_LEARNING_RATE ? { type: 'startRun', learningRate: rate } : undefined;
  },
  stop: () => ({ type: 'stop' }),
});
