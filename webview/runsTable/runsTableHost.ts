// The runs table page's channel to its panel, typed for its messages and the state kept across a hidden tab's unload.
import type { FromRunsTableView } from '../../src/protocol/runsTableView';
import { hostChannel } from '../shared/hostChannel';

/** What the page keeps while its tab is hidden: the filters, the selection and where it was scrolled. */
export interface RunsTableState {
  text: string;
  columnFilters: Record<string, string>;
  selected: string[];
  scrollTop: number;
}

export const runsTableHost = hostChannel<FromRunsTableView, RunsTableState>();
