// What a result tab tells its page about an image's heat map once the inference process has answered:
// the map, or why there is none. The page shows "Computing the heat map…" until one of the two arrives,
// so an answer without a map must always carry a reason.
import type { SaliencyMap, ToClassifyView } from '../../../protocol/classifyView';

/** Said when the process answered without a map and without saying why (it should not happen). */
export const NO_HEAT_MAP = 'No heat map was computed for this image.';

export function saliencyOutcome(index: number, answer: { saliency?: SaliencyMap; saliencyError?: string }): Extract<ToClassifyView, { type: 'saliency' }> {
  return answer.saliency ? { type: 'saliency', index, saliency: answer.saliency } : { type: 'saliency', index, error: answer.saliencyError ?? NO_HEAT_MAP };
}
