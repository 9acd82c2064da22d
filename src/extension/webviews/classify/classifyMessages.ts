// Validates what a Classify Image result page sends (src/protocol/classifyView.ts): it is untrusted input like any page.
import { isIndex } from '../../../core/guards';
import type { FromClassifyView } from '../../../protocol/classifyView';
import { commonViewParsers, messageParser } from '../viewMessages';

export const parseFromClassifyView = messageParser<FromClassifyView>({
  ...commonViewParsers,
  closeImage: () => ({ type: 'closeImage' }),
  chooseModel: () => ({ type: 'chooseModel' }),
  openImage: (raw) => (isIndex(raw.index) ? { type: 'openImage', index: raw.index } : undefined),
  revealImage: (raw) => (isIndex(raw.index) ? { type: 'revealImage', index: raw.index } : undefined),
});
