// The dashboard page's channel to its panel, typed for the run dashboard's messages and saved state.
import type { FromDashboardView } from '../../src/protocol/dashboardView';
import { hostChannel } from '../shared/hostChannel';

/** What the panel serializer gets back after a reload: the run (and which tab was open). */
export interface DashboardState {
  runIds: string[];
  tab?: number;
}

export const dashboardHost = hostChannel<FromDashboardView, DashboardState>();
