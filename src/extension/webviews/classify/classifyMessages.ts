// Validates what a Classify Image result page sends (src/protocol/classifyView.ts): it is untrusted input like any page.
import { isIndex, isRecord } from '../../../core/guards';
import type { FromClassifyView } from '../../../protocol/classifyView';
import { parseCommonViewMessage } from '../viewMessages';

export function parseFromClassifyView(raw: unknown): FromClassifyView | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'closeImage':
    case 'chooseModel':
      return { type: raw.type };
    case 'openImage':
    case 'revealImage':
      return isIndex(raw.index) ? { type: raw.type, index: raw.index } : undefined;
    default:
      return parseCommonViewMessage(raw);
  }
}
