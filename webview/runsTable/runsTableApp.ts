// The runs table page: every run as a row and every result and setting as a column. Sort by a header, filter
// by words or per column (`>0.9`, `0.001..0.01`), show, hide and reorder columns (kept per workspace),
// select rows to compare, open a run's dashboard, export CSV. Only the rows in view are in the DOM, so a
// thousand runs scroll as smoothly as ten.
import type { RunsTableCell, RunsTableColumn, RunsTableLayout, RunsTableRow, ToRunsTableView } from '../../src/protocol/runsTableView';
import { h, replaceChildren } from '../shared/dom';
import { exportCsv } from '../shared/exportFile';
import { formatBytes, formatCount, formatDuration, formatNumber, formatPercent, formatTime } from '../shared/format';
import { oncePerFrame } from '../shared/oncePerFrame';
import { runsTableCsv } from './runsTableCsv';
import { runsTableHost } from './runsTableHost';
import { moveColumn, orderedColumns, queryRows, rowWindow, visibleColumns } from './tableModel';

/** Every row is this tall (media/runsTable.css says the same), so the scroll position says which rows show. */
const ROW_HEIGHT = 26;
/** Width of a column by its kind, in pixels. */
const COLUMN_WIDTHS: Record<RunsTableColumn['kind'], number> = { text: 130, number: 96, percent: 96, duration: 96, bytes: 96, time: 136 };
const NAME_WIDTH = 220;
const SELECT_WIDTH = 34;
const MAX_COMPARED = 50;

function formatCell(column: RunsTableColumn, cell: RunsTableCell | undefined): string {
  if (cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  switch (column.kind) {
    case 'percent': return formatPercent(cell, 2);
    case 'duration': return formatDuration(cell);
    case 'bytes': return formatBytes(cell);
    case 'time': return formatTime(new Date(cell).toISOString());
    default: return Number.isInteger(cell) ? formatCount(cell) : formatNumber(cell);
  }
}

export class RunsTableApp {
  private columns: RunsTableColumn[] = [];
  private rows: RunsTableRow[] = [];
  private layout?: RunsTableLayout;
  private shown: RunsTableRow[] = [];
  private shownColumns: RunsTableColumn[] = [];
  private text = '';
  private columnFilters: Record<string, string> = {};
  private readonly selected = new Set<string>();
  private restoreScroll?: number;
  private readonly scheduleDraw = oncePerFrame(() => this.draw());

  private readonly countLine = h('p', { class: 'progress-line', attrs: { 'aria-live': 'polite' } });
  private readonly search = h('input', { class: 'search', attrs: { type: 'search', placeholder: 'Filter runs (words in any shown column)', 'aria-label': 'Filter runs' } });
  private readonly compareButton = h('button', { class: 'compare', attrs: { type: 'button' } }, 'Compare Selected');
  private readonly columnsButton = h('button', { class: 'columns-toggle', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'columns-panel' } }, 'Columns…');
  private readonly exportButton = h('button', { class: 'export', attrs: { type: 'button' } }, 'Export CSV');
  private readonly clearButton = h('button', { class: 'clear-filters', attrs: { type: 'button' } }, 'Clear Filters');
  private readonly columnsPanel = h('div', { class: 'columns-panel', attrs: { id: 'columns-panel', role: 'group', 'aria-label': 'Columns' } });
  private readonly scroller = h('div', { class: 'table-scroll', attrs: { tabindex: 0 } });
  private readonly colgroup = h('colgroup');
  private readonly headRow = h('tr', { class: 'head-row' });
  private readonly filterRow = h('tr', { class: 'filter-row' });
  private readonly body = h('tbody');
  private readonly empty = h('p', { class: 'muted empty' });

  constructor(private readonly root: HTMLElement) {
    const saved = runsTableHost.state();
    this.text = saved.text ?? '';
    this.columnFilters = { ...(saved.columnFilters ?? {}) };
    for (const id of saved.selected ?? []) this.selected.add(id);
    this.restoreScroll = saved.scrollTop;
    this.search.value = this.text;
    this.columnsPanel.hidden = true;
    this.empty.hidden = true;

    this.search.addEventListener('input', () => {
      this.text = this.search.value;
      this.requery();
    });
    this.compareButton.addEventListener('click', () => {
      const runIds = this.shown.filter((row) => this.selected.has(row.id)).map((row) => row.id).slice(0, MAX_COMPARED);
      if (runIds.length >= 2) runsTableHost.post({ type: 'compareRuns', runIds });
    });
    this.columnsButton.addEventListener('click', () => {
      this.columnsPanel.hidden = !this.columnsPanel.hidden;
      this.columnsButton.setAttribute('aria-expanded', String(!this.columnsPanel.hidden));
      this.renderColumnsPanel();
    });
    this.exportButton.addEventListener('click', () => exportCsv('runs.csv', runsTableCsv(this.shownColumns, this.shown)));
    this.clearButton.addEventListener('click', () => {
      this.text = '';
      this.search.value = '';
      this.columnFilters = {};
      this.renderHead();
      this.requery();
    });
    this.scroller.addEventListener('scroll', () => this.scheduleDraw());
    new ResizeObserver(() => this.scheduleDraw()).observe(this.scroller);

    replaceChildren(root,
      h('header', { class: 'run-header' }, h('div', { class: 'title-row' }, h('h1', {}, 'Runs')), this.countLine,
        h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Runs table actions' } },
          this.search, this.compareButton, this.columnsButton, this.exportButton, this.clearButton)),
      this.columnsPanel,
      h('p', { class: 'muted hint' }, 'Click a header to sort; type in the boxes under the headers to filter a column (words, or >0.9, <=64, 0.001..0.01); tick rows to compare them; click a name to open its dashboard.'),
      this.scroller,
      this.empty);
    this.scroller.append(h('table', { class: 'runs-table', attrs: { role: 'grid', 'aria-label': 'Runs' } },
      this.colgroup, h('thead', {}, this.headRow, this.filterRow), this.body));
  }

  handle(message: ToRunsTableView): void {
    if (message.type !== 'snapshot') return;
    this.root.removeAttribute('aria-busy');
    // Redrawing the headers would take the focus from a filter box being typed in: only when the columns change.
    const columnsChanged = JSON.stringify(message.columns) !== JSON.stringify(this.columns);
    this.columns = message.columns;
    this.rows = message.rows;
    // The page's layout wins once it has one: the panel only echoes what the page saved.
    this.layout ??= message.layout;
    const ids = new Set(message.rows.map((row) => row.id));
    for (const id of [...this.selected]) if (!ids.has(id)) this.selected.delete(id);
    if (columnsChanged) this.renderHead();
    this.requery();
    if (this.restoreScroll !== undefined) {
      this.scroller.scrollTop = this.restoreScroll;
      this.restoreScroll = undefined;
    }
    if (!this.columnsPanel.hidden) this.renderColumnsPanel();
  }

  private get currentLayout(): RunsTableLayout {
    return this.layout ?? { order: [], hidden: [] };
  }

  private setLayout(layout: RunsTableLayout): void {
    this.layout = layout;
    runsTableHost.post({ type: 'saveLayout', layout });
    this.renderHead();
    this.requery();
    if (!this.columnsPanel.hidden) this.renderColumnsPanel();
  }

  private saveState(): void {
    runsTableHost.saveState({ text: this.text, columnFilters: this.columnFilters, selected: [...this.selected], scrollTop: this.scroller.scrollTop });
  }

  private widthOf(column: RunsTableColumn): number {
    return column.key === 'name' ? NAME_WIDTH : COLUMN_WIDTHS[column.kind];
  }

  private renderHead(): void {
    const layout = this.currentLayout;
    this.shownColumns = visibleColumns(this.columns, layout);
    const table = this.scroller.firstElementChild as HTMLTableElement | null;
    if (table) table.style.width = `${SELECT_WIDTH + this.shownColumns.reduce((sum, column) => sum + this.widthOf(column), 0)}px`;
    replaceChildren(this.colgroup, h('col', { class: 'select-col' }), ...this.shownColumns.map((column) => {
      const col = h('col');
      col.style.width = `${this.widthOf(column)}px`;
      return col;
    }));
    const allBox = h('input', { attrs: { type: 'checkbox', 'aria-label': 'Select every shown run' } });
    allBox.addEventListener('change', () => {
      for (const row of this.shown) {
        if (allBox.checked) this.selected.add(row.id);
        else this.selected.delete(row.id);
      }
      this.afterSelection();
    });
    replaceChildren(this.headRow, h('th', { class: 'select-cell', attrs: { scope: 'col' } }, allBox), ...this.shownColumns.map((column) => {
      const sorted = layout.sort?.key === column.key ? layout.sort.direction : undefined;
      const button = h('button', {
        class: 'sort-button', attrs: { type: 'button', title: `${column.key} (click to sort)` },
        on: { click: () => this.sortBy(column) },
      }, column.label, sorted ? (sorted === 'asc' ? ' ▲' : ' ▼') : '');
      return h('th', {
        class: column.kind === 'text' ? '' : 'number', attrs: { scope: 'col', 'data-key': column.key, 'aria-sort': sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none' },
      }, button);
    }));
    replaceChildren(this.filterRow, h('th', { class: 'select-cell' }), ...this.shownColumns.map((column) => {
      const input = h('input', {
        class: 'column-filter',
        attrs: { type: 'text', 'data-key': column.key, 'aria-label': `Filter ${column.label}`, placeholder: column.kind === 'text' ? 'words' : '>, <, a..b' },
      });
      input.value = this.columnFilters[column.key] ?? '';
      input.addEventListener('input', () => {
        if (input.value.trim() === '') delete this.columnFilters[column.key];
        else this.columnFilters[column.key] = input.value;
        this.requery();
      });
      return h('th', {}, input);
    }));
  }

  private sortBy(column: RunsTableColumn): void {
    const current = this.currentLayout.sort;
    const direction = current?.key === column.key ? (current.direction === 'asc' ? 'desc' : 'asc') : column.kind === 'text' ? 'asc' : 'desc';
    this.setLayout({ ...this.currentLayout, sort: { key: column.key, direction } });
  }

  private requery(): void {
    const layout = this.currentLayout;
    // Filters on hidden columns still apply: they are shown in the count line, cleared by Clear Filters.
    this.shown = queryRows(this.rows, orderedColumns(this.columns, layout).filter((column) => !layout.hidden.includes(column.key) || this.columnFilters[column.key] !== undefined), {
      text: this.text, columnFilters: this.columnFilters, ...(layout.sort ? { sort: layout.sort } : {}),
    });
    this.empty.hidden = this.shown.length > 0;
    this.empty.textContent = this.rows.length === 0 ? 'There are no runs yet: start one with Classifier Lab: New Training Run.' : 'No run matches the filters.';
    this.afterSelection();
  }

  private afterSelection(): void {
    const selectedShown = this.shown.filter((row) => this.selected.has(row.id)).length;
    const filtered = this.text.trim() !== '' || Object.keys(this.columnFilters).length > 0;
    this.countLine.textContent = [
      `${formatCount(this.rows.length)} run${this.rows.length === 1 ? '' : 's'}`,
      ...(filtered ? [`${formatCount(this.shown.length)} shown`] : []),
      ...(this.selected.size > 0 ? [`${formatCount(this.selected.size)} selected`] : []),
    ].join(' · ');
    this.compareButton.disabled = selectedShown < 2;
    this.compareButton.title = selectedShown < 2 ? 'Tick two or more runs to compare them' : `Compare ${Math.min(selectedShown, MAX_COMPARED)} runs`;
    this.clearButton.disabled = !filtered;
    const allBox = this.headRow.querySelector('input');
    if (allBox) {
      allBox.checked = this.shown.length > 0 && selectedShown === this.shown.length;
      allBox.indeterminate = selectedShown > 0 && selectedShown < this.shown.length;
    }
    this.draw();
  }


  /** Draws the rows in view (and a few either side) between two spacers that keep the scroll height. */
  private draw(): void {
    const headHeight = (this.scroller.querySelector('thead') as HTMLElement | null)?.offsetHeight ?? 0;
    const { start, end } = rowWindow(this.shown.length, this.scroller.scrollTop - headHeight, this.scroller.clientHeight, ROW_HEIGHT);
    const spacer = (rows: number): HTMLTableRowElement => {
      const tr = h('tr', { class: 'spacer', attrs: { 'aria-hidden': 'true' } });
      tr.style.height = `${rows * ROW_HEIGHT}px`;
      return tr;
    };
    const drawn: HTMLTableRowElement[] = [];
    for (let index = start; index < end; index += 1) drawn.push(this.rowElement(this.shown[index], index));
    replaceChildren(this.body, start > 0 && spacer(start), ...drawn, end < this.shown.length && spacer(this.shown.length - end));
    this.saveState();
  }

  private rowElement(row: RunsTableRow, index: number): HTMLTableRowElement {
    const selected = this.selected.has(row.id);
    const box = h('input', { attrs: { type: 'checkbox', 'aria-label': `Select ${String(row.cells.name ?? row.id)}` } });
    box.checked = selected;
    box.addEventListener('change', () => {
      if (box.checked) this.selected.add(row.id);
      else this.selected.delete(row.id);
      this.afterSelection();
    });
    return h('tr', { class: selected ? 'selected' : '', attrs: { 'data-run-id': row.id, 'aria-rowindex': index + 1, 'aria-selected': selected } },
      h('td', { class: 'select-cell' }, box),
      ...this.shownColumns.map((column) => {
        const cell = row.cells[column.key];
        const text = formatCell(column, cell);
        if (column.key === 'name') {
          return h('td', { attrs: { 'data-key': column.key } }, h('a', {
            class: 'run-link', attrs: { href: '#', title: `Open the dashboard of ${text}` },
            on: { click: (event) => { event.preventDefault(); runsTableHost.post({ type: 'openRun', runId: row.id }); } },
          }, text));
        }
        return h('td', { class: column.kind === 'text' ? '' : 'number', attrs: { 'data-key': column.key, title: text } }, text);
      }));
  }

  private renderColumnsPanel(): void {
    if (this.columnsPanel.hidden) return;
    const layout = this.currentLayout;
    const hidden = new Set(layout.hidden);
    const ordered = orderedColumns(this.columns, layout);
    replaceChildren(this.columnsPanel, h('ul', { class: 'column-list' }, ...ordered.map((column, index) => {
      const box = h('input', { attrs: { type: 'checkbox', id: `column-${index}`, 'data-key': column.key } });
      box.checked = !hidden.has(column.key);
      box.addEventListener('change', () => {
        const next = new Set(layout.hidden);
        if (box.checked) next.delete(column.key);
        else next.add(column.key);
        this.setLayout({ ...layout, order: ordered.map((c) => c.key), hidden: [...next] });
      });
      const move = (by: number, label: string, symbol: string) => h('button', {
        class: 'move', attrs: { type: 'button', 'aria-label': `Move ${column.label} ${label}`, disabled: by < 0 ? index === 0 : index === ordered.length - 1 },
        on: { click: () => this.setLayout({ ...layout, order: moveColumn(this.columns, layout, column.key, by) }) },
      }, symbol);
      return h('li', { attrs: { 'data-key': column.key } }, box, h('label', { attrs: { for: `column-${index}`, title: column.key } }, column.group === 'setting' ? column.key : column.label),
        move(-1, 'left', '↑'), move(1, 'right', '↓'));
    })));
  }
}
