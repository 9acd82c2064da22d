// The runs table's rows as the page shows them, without the DOM: the columns in the user's order (hidden
// ones left out), the text filter, the per-column filters (`>0.9`, `<=64`, `0.001..0.01`, or words) and the sort.
import type { RunsTableCell, RunsTableColumn, RunsTableLayout, RunsTableRow, SortDirection } from '../../src/protocol/runsTableView';

/** Every column in the layout's order; columns the layout does not know yet go at the end in their own order. */
export function orderedColumns(columns: readonly RunsTableColumn[], layout: Pick<RunsTableLayout, 'order'>): RunsTableColumn[] {
  const byKey = new Map(columns.map((column) => [column.key, column]));
  const known = layout.order.flatMap((key) => byKey.get(key) ?? []);
  const placed = new Set(known.map((column) => column.key));
  return [...known, ...columns.filter((column) => !placed.has(column.key))];
}

export function visibleColumns(columns: readonly RunsTableColumn[], layout: RunsTableLayout): RunsTableColumn[] {
  const hidden = new Set(layout.hidden);
  return orderedColumns(columns, layout).filter((column) => !hidden.has(column.key));
}

/** The order with `key` moved `by` places (clamped), over every column (hidden ones too). */
export function moveColumn(columns: readonly RunsTableColumn[], layout: RunsTableLayout, key: string, by: number): string[] {
  const order = orderedColumns(columns, layout).map((column) => column.key);
  const from = order.indexOf(key);
  if (from < 0) return order;
  const to = Math.max(0, Math.min(order.length - 1, from + by));
  order.splice(to, 0, ...order.splice(from, 1));
  return order;
}

/** A column filter as typed: a comparison, a range, or words to find. */
type CellTest = (cell: RunsTableCell | undefined) => boolean;

const COMPARISON = /^(<=|>=|<|>|=)\s*(-?[\d.]+(?:e-?\d+)?)(%?)$/i;
const RANGE = /^(-?[\d.]+(?:e-?\d+)?)(%?)\s*\.\.\s*(-?[\d.]+(?:e-?\d+)?)(%?)$/i;

/** How a number typed in a filter compares with cells of `column` (percent columns hold fractions: `90` or `90%` mean 0.9). */
function typedNumber(column: RunsTableColumn, text: string, percentSign: string): number {
  const value = Number(text);
  return column.kind === 'percent' && (percentSign === '%' || value > 1) ? value / 100 : value;
}

/** What `filter` typed above `column` keeps; undefined when the filter is empty. */
export function columnTest(column: RunsTableColumn, filter: string): CellTest | undefined {
  const text = filter.trim();
  if (text === '') return undefined;
  const numeric = column.kind !== 'text';
  const comparison = numeric ? COMPARISON.exec(text) : null;
  if (comparison) {
    const [, op, number, sign] = comparison;
    const bound = typedNumber(column, number, sign);
    return (cell) => typeof cell === 'number' && (op === '<' ? cell < bound : op === '<=' ? cell <= bound : op === '>' ? cell > bound : op === '>=' ? cell >= bound : cell === bound);
  }
  const range = numeric ? RANGE.exec(text) : null;
  if (range) {
    const low = typedNumber(column, range[1], range[2]);
    const high = typedNumber(column, range[3], range[4]);
    return (cell) => typeof cell === 'number' && cell >= Math.min(low, high) && cell <= Math.max(low, high);
  }
  const words = text.toLowerCase().split(/\s+/);
  return (cell) => {
    if (cell === undefined) return false;
    const value = String(cell).toLowerCase();
    return words.every((word) => value.includes(word));
  };
}

export interface TableQuery {
  /** Words every kept row has somewhere among the visible columns' text (and its id). */
  text: string;
  /** Per column key, what its filter box holds. */
  columnFilters: Readonly<Record<string, string>>;
  sort?: { key: string; direction: SortDirection };
}

/** One collator for every comparison: `localeCompare` with options builds a new one per call (100x slower over 1,000 rows). */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Empty cells sort last whatever the direction; numbers before text (a NaN loss after every number). */
export function compareCells(a: RunsTableCell | undefined, b: RunsTableCell | undefined, direction: SortDirection): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return direction === 'asc' ? a - b : b - a;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const order = collator.compare(a, b);
  return direction === 'asc' ? order : -order;
}

/** The rows the query keeps, in its order (the runs' own order, newest first, breaks ties). */
export function queryRows(rows: readonly RunsTableRow[], columns: readonly RunsTableColumn[], query: TableQuery): RunsTableRow[] {
  const tests = columns.flatMap((column) => {
    const test = columnTest(column, query.columnFilters[column.key] ?? '');
    return test ? [{ key: column.key, test }] : [];
  });
  const words = query.text.trim().toLowerCase().split(/\s+/).filter((word) => word !== '');
  const kept = rows.filter((row) => {
    if (!tests.every(({ key, test }) => test(row.cells[key]))) return false;
    if (words.length === 0) return true;
    const haystack = [row.id, ...columns.map((column) => row.cells[column.key] ?? '')].join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  const sort = query.sort;
  if (!sort) return kept;
  const indexed = kept.map((row, index) => ({ row, index }));
  indexed.sort((x, y) => compareCells(x.row.cells[sort.key], y.row.cells[sort.key], sort.direction) || x.index - y.index);
  return indexed.map(({ row }) => row);
}

/** The rows of a virtualised list to draw for a scroll position: the visible ones and `overscan` either side. */
export function rowWindow(total: number, scrollTop: number, viewportHeight: number, rowHeight: number, overscan = 8): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  return { start: Math.max(0, first - overscan), end: Math.min(total, first + count + overscan) };
}
