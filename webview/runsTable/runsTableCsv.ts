// The runs table as CSV: the run id, then the shown columns in their order, the shown rows in their order,
// values as stored (fractions, milliseconds, bytes; times as ISO 8601) for spreadsheets and notebooks.
import type { RunsTableColumn, RunsTableRow } from '../../src/protocol/runsTableView';
import { toCsv } from '../shared/csv';

export function runsTableCsv(columns: readonly RunsTableColumn[], rows: readonly RunsTableRow[]): string {
  const header = ['runId', ...columns.map((column) => column.key)];
  return toCsv(header, rows.map((row) => [row.id, ...columns.map((column) => {
    const cell = row.cells[column.key];
    return column.kind === 'time' && typeof cell === 'number' ? new Date(cell).toISOString() : cell;
  })]));
}
