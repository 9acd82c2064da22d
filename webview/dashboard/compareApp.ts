// The comparison of two or more runs: per-epoch curves overlaid, and a sortable table of
// hyperparameters and final metrics with the columns that differ highlighted.
import type { CompareRun, FromCompareView, ToCompareView } from '../../src/protocol/compareView';
import { assertNever } from '../shared/assertNever';
import { toCsv } from '../shared/csv';
import { h, replaceChildren } from '../shared/dom';
import { exportCsv, exportFileName, exportPng } from '../shared/exportFile';
import { hostChannel } from '../shared/hostChannel';
import { buildCompareTable, sortCompareRows, type CompareTable } from './compareTable';
import { decimate } from './decimate';
import { applyChartTheme, createLineChart, lineDataset, setLogScale, type LineChart } from './lineChart';
import { onThemeChange, readThemeColours, type ThemeColours } from './themeColours';

/** What the panel serializer gets back after a reload: the runs compared. */
const host = hostChannel<FromCompareView, { runIds: string[] }>();

interface CurveDefinition {
  id: string;
  title: string;
  percent: boolean;
  /** Undefined where the epoch has no such number (validation, for a run without a validation split). */
  pick: (point: CompareRun['epochs'][number]) => number | undefined;
}

const CURVES: CurveDefinition[] = [
  { id: 'valAcc', title: 'Validation accuracy', percent: true, pick: (p) => p.valAcc },
  { id: 'valLoss', title: 'Validation loss', percent: false, pick: (p) => p.valLoss },
  { id: 'trainAcc', title: 'Training accuracy', percent: true, pick: (p) => p.acc },
  { id: 'trainLoss', title: 'Training loss', percent: false, pick: (p) => p.loss },
];

type SortState = { column: number | 'name'; direction: 'ascending' | 'descending' };

export class CompareApp {
  private runs: CompareRun[] = [];
  private colours: ThemeColours;
  private readonly charts = new Map<string, LineChart>();
  private readonly canvases = new Map<string, HTMLCanvasElement>();
  private readonly hidden = new Set<string>();
  private sort: SortState = { column: 'name', direction: 'ascending' };
  private onlyDifferences = false;
  private readonly heading: HTMLElement;
  private readonly missing: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly tableBox: HTMLElement;
  private logLoss = false;

  constructor(private readonly root: HTMLElement, runIds: string[]) {
    host.saveState({ runIds });
    this.colours = readThemeColours();
    this.heading = h('h1', {}, `Comparing ${runIds.length} runs`);
    this.missing = h('div', { class: 'problem', attrs: { role: 'alert' } });
    this.missing.hidden = true;
    this.legend = h('div', { class: 'legend runs-legend', attrs: { role: 'group', 'aria-label': 'Runs shown in the charts' } });
    this.tableBox = h('div', { class: 'compare-table' });
    const grid = h('div', { class: 'chart-grid' }, ...CURVES.map((curve) => {
      const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': curve.title } });
      this.canvases.set(curve.id, canvas);
      return h('section', { class: 'chart-card', attrs: { 'aria-label': curve.title, 'data-chart': curve.id } },
        h('header', { class: 'chart-header' }, h('h3', {}, curve.title),
          h('div', { class: 'chart-actions' },
            h('vscode-button', { attrs: { secondary: true, 'aria-label': `Reset zoom of ${curve.title}` }, on: { click: () => this.charts.get(curve.id)?.resetZoom('none') } }, 'Reset'),
            h('vscode-button', { attrs: { secondary: true, 'aria-label': `Export ${curve.title} as PNG` }, on: { click: () => this.exportChart(curve) } }, 'PNG'))),
        h('div', { class: 'chart-box' }, canvas));
    }));
    const differences = h('vscode-checkbox', {
      attrs: { label: 'Only columns that differ' },
      on: { change: (event) => { this.onlyDifferences = (event.target as HTMLInputElement).checked; this.renderTable(); } },
    });
    const logCheckbox = h('vscode-checkbox', {
      attrs: { label: 'Log scale for loss' },
      on: {
        change: (event) => {
          this.logLoss = (event.target as HTMLInputElement).checked;
          for (const id of ['valLoss', 'trainLoss']) {
            const chart = this.charts.get(id);
            if (chart) setLogScale(chart, this.logLoss);
          }
          this.renderCharts();
        },
      },
    });
    replaceChildren(root,
      h('header', { class: 'run-header' }, this.heading),
      this.missing,
      h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Comparison options' } }, logCheckbox,
        h('vscode-button', { attrs: { secondary: true }, on: { click: () => this.exportTable() } }, 'Export table CSV')),
      this.legend,
      grid,
      h('h2', {}, 'Hyperparameters and results'),
      h('div', { class: 'toolbar' }, differences),
      this.tableBox);
    onThemeChange((fresh) => {
      this.colours = fresh;
      for (const chart of this.charts.values()) applyChartTheme(chart, fresh);
      this.renderCharts();
      this.renderLegend();
    });
  }

  handle(message: ToCompareView): void {
    switch (message.type) {
      case 'snapshot':
        this.root.removeAttribute('aria-busy');
        this.runs = message.runs;
        this.heading.textContent = `Comparing ${message.runs.length} runs`;
        this.missing.hidden = message.missing.length === 0;
        this.missing.textContent = message.missing.length > 0 ? `Not found or unreadable: ${message.missing.join(', ')}.` : '';
        this.renderLegend();
        this.renderCharts();
        this.renderTable();
        return;
      default:
        assertNever(message.type);
    }
  }

  private colourOf(index: number): string {
    return this.colours.series[index % this.colours.series.length];
  }

  private renderLegend(): void {
    replaceChildren(this.legend, ...this.runs.map((entry, i) => {
      const shown = !this.hidden.has(entry.run.id);
      const swatch = h('span', { class: 'swatch' });
      swatch.style.setProperty('--swatch', this.colourOf(i));
      return h('span', { class: 'legend-run' },
        h('button', {
          class: `legend-item${shown ? '' : ' off'}`, attrs: { type: 'button', 'aria-pressed': String(shown), title: `Show or hide ${entry.run.name}` },
          on: {
            click: () => {
              if (this.hidden.has(entry.run.id)) this.hidden.delete(entry.run.id);
              else this.hidden.add(entry.run.id);
              this.renderLegend();
              this.renderCharts();
            },
          },
        }, swatch, entry.run.name),
        h('button', { class: 'link', attrs: { type: 'button', 'aria-label': `Open the dashboard of ${entry.run.name}` }, on: { click: () => host.post({ type: 'openRun', runId: entry.run.id }) } }, 'open'));
    }));
  }

  private renderCharts(): void {
    for (const curve of CURVES) {
      let chart = this.charts.get(curve.id);
      const canvas = this.canvases.get(curve.id);
      if (!canvas) continue;
      if (!chart) {
        chart = createLineChart(canvas, { xTitle: 'Epoch', yTitle: curve.title, percent: curve.percent }, this.colours);
        if (!curve.percent) setLogScale(chart, this.logLoss);
        this.charts.set(curve.id, chart);
      }
      chart.data.datasets = this.runs.map((entry, i) => {
        // A run without a validation split has no validation curve (its training numbers are not passed off as one).
        const points = entry.epochs.filter((p) => curve.pick(p) !== undefined);
        const xs = points.map((p) => p.epoch);
        const ys = points.map((p) => curve.pick(p) as number);
        const dataset = lineDataset({ label: entry.run.name, colour: this.colourOf(i), width: 2, points: entry.epochs.length <= 60 }, this.hidden.has(entry.run.id) ? [] : decimate(xs, ys, 1000));
        dataset.hidden = this.hidden.has(entry.run.id);
        return dataset;
      });
      chart.update('none');
      canvas.setAttribute('aria-label', `${curve.title} by epoch for ${this.runs.map((entry) => {
        const last = entry.epochs[entry.epochs.length - 1];
        const value = last ? curve.pick(last) : undefined;
        if (last && value === undefined) return `${entry.run.name} (no validation split)`;
        return `${entry.run.name}${value !== undefined ? ` (last ${curve.percent ? `${(value * 100).toFixed(1)}%` : value.toPrecision(3)})` : ''}`;
      }).join(', ')}`);
    }
  }

  private table(): CompareTable {
    return buildCompareTable(this.runs);
  }

  private renderTable(): void {
    const table = this.table();
    const visible = table.columns.map((column, i) => ({ column, i })).filter(({ column }) => !this.onlyDifferences || column.differs);
    const rows = sortCompareRows(table.rows, this.sort.column, this.sort.direction);
    const sortButton = (label: string, column: number | 'name', differs: boolean): HTMLElement => {
      const active = this.sort.column === column;
      return h('th', {
        class: differs ? 'differs' : '', attrs: { scope: 'col', 'aria-sort': active ? this.sort.direction : 'none' },
      }, h('button', {
        class: 'sort', attrs: { type: 'button', title: differs ? `${label} (differs between runs)` : label },
        on: {
          click: () => {
            this.sort = { column, direction: active && this.sort.direction === 'ascending' ? 'descending' : 'ascending' };
            this.renderTable();
          },
        },
      }, label, active ? (this.sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''));
    };
    replaceChildren(this.tableBox, h('table', { class: 'data-table sortable', attrs: { 'aria-label': 'Runs compared: hyperparameters and results. Highlighted columns differ between runs.' } },
      h('thead', {}, h('tr', {}, sortButton('Run', 'name', false), ...visible.map(({ column, i }) => sortButton(column.label, i, column.differs)))),
      h('tbody', {}, ...rows.map((row) => h('tr', {},
        h('th', { attrs: { scope: 'row' } }, row.name),
        ...visible.map(({ column, i }) => h('td', { class: `${column.differs ? 'differs' : ''}${typeof row.values[i] === 'number' ? ' number' : ''}` }, column.format(row.values[i]))))))));
  }

  private exportChart(curve: CurveDefinition): void {
    const chart = this.charts.get(curve.id);
    if (chart) exportPng(exportFileName('comparison', curve.id, 'png'), chart.canvas, this.colours.background);
  }

  private exportTable(): void {
    const table = this.table();
    exportCsv(exportFileName('comparison', 'runs', 'csv'), toCsv(['run', 'id', ...table.columns.map((c) => c.label)],
      table.rows.map((row) => [row.name, row.runId, ...row.values])));
  }
}
