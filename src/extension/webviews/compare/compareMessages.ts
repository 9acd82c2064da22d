// Validates what a comparison page sends (src/protocol/compareView.ts): only the messages every page may send.
import type { FromCompareView } from '../../../protocol/compareView';
import { parseCommonViewMessage } from '../viewMessages';

export function parseFromCompareView(raw: unknown): FromCompareView | undefined {
  return parseCommonViewMessage(raw);
}
