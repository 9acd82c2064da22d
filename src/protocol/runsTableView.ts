// Messages between the runs table tab and its webview: one union per direction, and the plain data they
// carry. The webview says `ready`; the panel answers with every run as a row, and again whenever the runs
// folder changes. The page remembers its column layout through the panel (per workspace).
import type { CompareRunsMessage, ExportMessage, OpenRunMessage, ReadyMessage } from './viewCommon';

export type { ExportFormat, ExportMessage } from './viewCommon';

/** How a column's values read and sort: numbers by value (shown as percents, durations, sizes...), text by words. */
export type RunsTableColumnKind = 'text' | 'number' | 'percent' | 'duration' | 'bytes' | 'time';

export interface RunsTableColumn {
  /** Stable across runs and reloads: `name`, `bestValAcc`, `training.learningRate`, `model.units`. */
  key: string;
  /** The header: `best val acc`, `learningRate`. */
  label: string;
  kind: RunsTableColumnKind;
  /** Where the value comes from: the run itself, its results, or one of its settings. */
  group: 'run' | 'result' | 'setting';
}

/** A cell: a number for numeric kinds (and `time`, milliseconds since 1970), text otherwise; absent when the run has no value. */
export type RunsTableCell = number | string;

export interface RunsTableRow {
  /** The run id. */
  id: string;
  cells: Record<string, RunsTableCell>;
}

export type SortDirection = 'asc' | 'desc';

/** What the page keeps for the workspace: column order (keys; new columns go at the end), hidden columns, sort. */
export interface RunsTableLayout {
  order: string[];
  hidden: string[];
  sort?: { key: string; direction: SortDirection };
}

export type ToRunsTableView = { type: 'snapshot'; columns: RunsTableColumn[]; rows: RunsTableRow[]; layout: RunsTableLayout };

export type FromRunsTableView =
  | ReadyMessage
  | ExportMessage
  | OpenRunMessage
  | CompareRunsMessage
  | { type: 'saveLayout'; layout: RunsTableLayout };
