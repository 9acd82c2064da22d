// Which validation samples a gallery shows, and in what order.
import type { SampleItem } from '../../src/protocol/dashboardView';

export type SampleOutcome = 'all' | 'correct' | 'wrong';
/** `mistakesFirst`: wrong predictions by falling confidence (the most confidently wrong first), then correct ones by rising confidence. */
export type SampleOrder = 'mistakesFirst' | 'confidenceDesc' | 'confidenceAsc' | 'file';

export interface SampleQuery {
  /** Only samples of this true class. */
  trueClass?: number;
  /** Only samples predicted as this class. */
  predictedClass?: number;
  outcome: SampleOutcome;
  order: SampleOrder;
}

export function querySamples(items: readonly SampleItem[], query: SampleQuery): SampleItem[] {
  const chosen = items.filter((item) => {
    if (query.trueClass !== undefined && item.label !== query.trueClass) return false;
    if (query.predictedClass !== undefined && item.predicted !== query.predictedClass) return false;
    if (query.outcome === 'correct') return item.label === item.predicted;
    if (query.outcome === 'wrong') return item.label !== item.predicted;
    return true;
  });
  const byIndex = (a: SampleItem, b: SampleItem): number => a.index - b.index;
  switch (query.order) {
    case 'file':
      return chosen.sort(byIndex);
    case 'confidenceDesc':
      return chosen.sort((a, b) => b.confidence - a.confidence || byIndex(a, b));
    case 'confidenceAsc':
      return chosen.sort((a, b) => a.confidence - b.confidence || byIndex(a, b));
    case 'mistakesFirst':
      return chosen.sort((a, b) => {
        const wrongA = a.label !== a.predicted;
        const wrongB = b.label !== b.predicted;
        if (wrongA !== wrongB) return wrongA ? -1 : 1;
        return (wrongA ? b.confidence - a.confidence : a.confidence - b.confidence) || byIndex(a, b);
      });
  }
}
