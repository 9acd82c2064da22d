// The sweep page's channel to its panel, typed for the sweep tab's messages and saved state.
import type { FromSweepView } from '../../src/protocol/sweepView';
import { hostChannel } from '../shared/hostChannel';

/** What the panel serializer gets back after a reload: the sweep it shows. */
export interface SweepState {
  sweepId: string;
}

export const sweepHost = hostChannel<FromSweepView, SweepState>();
