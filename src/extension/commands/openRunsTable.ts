// Open Runs Table: every run as a row of a sortable, filterable table (from the Experiments view's title bar or the palette).
import type { Command } from './command';

export const openRunsTableCommand: Command = {
  id: 'classifierLab.openRunsTable',
  run: (lab) => lab.runsTable.open(),
};
