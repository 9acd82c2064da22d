// The confusion matrix of any epoch (or the test split) as a heat map with counts or row
// percentages, per-class precision/recall/F1/support, the most confused pairs, and the samples
// behind a cell.
import type { ConfusionView, PredictionsView } from '../../src/protocol/dashboardView';
import { cellHeat, matrixAccuracy, mostConfusedPairs, normaliseRows } from './confusionMath';
import { toCsv } from '../shared/csv';
import { confusionCsv } from './dashboardCsv';
import { h, replaceChildren } from '../shared/dom';
import { exportCsv, exportFileName } from '../shared/exportFile';
import { formatCount, formatPercent } from '../shared/format';
import { SampleGallery } from './sampleGallery';
import type { SampleImageStore } from './sampleImageStore';
import { querySamples } from './sampleQuery';
import { dashboardHost } from './dashboardHost';

type Selection = number | 'test';
type Mode = 'counts' | 'percent';

function key(selection: Selection): string {
  return String(selection);
}

export class ConfusionSection {
  readonly element: HTMLElement;
  private epochs: number[] = [];
  private hasTest = false;
  private bestEpoch?: number;
  private selection?: Selection;
  /** Until the user picks an epoch, the view follows the best epoch as training finds better ones. */
  private pinned = false;
  private mode: Mode = 'counts';
  /** Matrices by epoch key; null when the run has no file for it. */
  private readonly cache = new Map<string, ConfusionView | null>();
  private readonly pending = new Set<string>();
  private predictions?: PredictionsView;
  private cell?: [number, number];
  private focusCell: [number, number] = [0, 0];
  private readonly slider: HTMLInputElement;
  private readonly sliderLabel: HTMLOutputElement;
  private readonly testButton: HTMLButtonElement;
  private readonly heading: HTMLElement;
  private readonly matrixBox: HTMLElement;
  private readonly classTable: HTMLElement;
  private readonly pairsList: HTMLElement;
  private readonly gallery: SampleGallery;

  constructor(store: SampleImageStore, private readonly runName: () => string) {
    this.slider = h('input', {
      attrs: { type: 'range', min: 0, max: 0, step: 1, value: 0, id: 'confusion-epoch', 'aria-label': 'Epoch of the confusion matrix' },
      on: {
        input: () => {
          const epoch = this.epochs[Number(this.slider.value)];
          if (epoch !== undefined) this.select(epoch, true);
        },
      },
    });
    this.sliderLabel = h('output', { attrs: { for: 'confusion-epoch' } });
    this.testButton = h('button', {
      class: 'toggle', attrs: { type: 'button', 'aria-pressed': 'false' },
      on: {
        click: () => {
          if (this.selection === 'test') this.select(this.bestEpoch ?? this.epochs[this.epochs.length - 1] ?? 1, true);
          else this.select('test', true);
        },
      },
    }, 'Test split');
    const modeSelect = h('vscode-single-select', {
      attrs: { 'aria-label': 'Values shown in the matrix', id: 'confusion-mode' },
      on: {
        change: (event) => {
          this.mode = (event.target as HTMLSelectElement).value === 'percent' ? 'percent' : 'counts';
          this.render();
        },
      },
    }, h('vscode-option', { attrs: { value: 'counts' } }, 'Counts'), h('vscode-option', { attrs: { value: 'percent' } }, 'Row percentages'));
    this.heading = h('p', { class: 'matrix-heading', attrs: { 'aria-live': 'polite' } });
    this.matrixBox = h('div', { class: 'matrix-box' });
    this.classTable = h('div', { class: 'class-table' });
    this.pairsList = h('ol', { class: 'pairs', attrs: { 'aria-label': 'Most confused pairs' } });
    this.gallery = new SampleGallery(store, [], 'Samples of the selected cell');
    this.element = h('div', { class: 'confusion' },
      h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Confusion matrix options' } },
        h('label', { class: 'inline', attrs: { for: 'confusion-epoch' } }, 'Epoch'), this.slider, this.sliderLabel, this.testButton,
        h('label', { class: 'inline', attrs: { for: 'confusion-mode' } }, 'Show'), modeSelect,
        h('vscode-button', { attrs: { secondary: true }, on: { click: () => this.exportMatrix() } }, 'Export CSV')),
      this.heading,
      h('div', { class: 'confusion-layout' },
        this.matrixBox,
        h('div', { class: 'confusion-side' },
          h('h3', {}, 'Most confused'), this.pairsList,
          h('h3', {}, 'Per class'), this.classTable)),
      h('h3', { attrs: { id: 'cell-samples' } }, 'Samples'),
      this.gallery.element);
  }

  /** The whole state from a snapshot. */
  reset(epochs: number[], hasTest: boolean, bestEpoch: number | undefined, confusion: ConfusionView | undefined, predictions: PredictionsView | undefined): void {
    this.cache.clear();
    this.pending.clear();
    this.pinned = false;
    this.cell = undefined;
    this.epochs = epochs;
    this.hasTest = hasTest;
    this.bestEpoch = bestEpoch;
    this.predictions = predictions;
    this.gallery.setClasses(predictions?.classes ?? confusion?.classes ?? []);
    if (confusion) this.cache.set(key(confusion.split === 'test' ? 'test' : confusion.epoch), confusion);
    this.selection = confusion ? (confusion.split === 'test' ? 'test' : confusion.epoch) : bestEpoch ?? epochs[epochs.length - 1];
    this.updateControls();
    this.load();
    this.showCellSamples();
  }

  setEpochs(epochs: number[], hasTest: boolean): void {
    this.epochs = epochs;
    this.hasTest = hasTest;
    if (this.selection === undefined && epochs.length > 0) this.selection = this.bestEpoch ?? epochs[epochs.length - 1];
    this.updateControls();
    this.load();
  }

  setBestEpoch(epoch: number | undefined): void {
    this.bestEpoch = epoch;
    if (!this.pinned && epoch !== undefined && this.selection !== epoch) this.select(epoch, false);
    else this.updateControls();
  }

  receive(epoch: Selection, view: ConfusionView | undefined): void {
    this.pending.delete(key(epoch));
    this.cache.set(key(epoch), view ?? null);
    if (epoch === this.selection) this.render();
  }

  setPredictions(predictions: PredictionsView | undefined): void {
    this.predictions = predictions;
    if (predictions) this.gallery.setClasses(predictions.classes);
    this.showCellSamples();
  }

  private select(selection: Selection, byUser: boolean): void {
    if (byUser) this.pinned = true;
    this.selection = selection;
    this.updateControls();
    this.load();
  }

  private load(): void {
    if (this.selection === undefined) {
      this.render();
      return;
    }
    const wanted = key(this.selection);
    if (!this.cache.has(wanted) && !this.pending.has(wanted)) {
      this.pending.add(wanted);
      this.matrixBox.setAttribute('aria-busy', 'true');
      dashboardHost.post({ type: 'requestConfusion', epoch: this.selection });
    }
    this.render();
  }

  private updateControls(): void {
    const index = typeof this.selection === 'number' ? this.epochs.indexOf(this.selection) : -1;
    this.slider.max = String(Math.max(0, this.epochs.length - 1));
    this.slider.disabled = this.epochs.length < 2;
    if (index >= 0) this.slider.value = String(index);
    const epochText = this.selection === 'test' ? 'test split' : this.selection === undefined ? 'none yet' : `epoch ${this.selection}${this.selection === this.bestEpoch ? ' (best)' : ''}`;
    this.sliderLabel.textContent = epochText;
    this.slider.setAttribute('aria-valuetext', epochText);
    this.testButton.hidden = !this.hasTest;
    this.testButton.setAttribute('aria-pressed', this.selection === 'test' ? 'true' : 'false');
  }

  private current(): ConfusionView | undefined {
    return this.selection === undefined ? undefined : this.cache.get(key(this.selection)) ?? undefined;
  }

  private render(): void {
    const view = this.current();
    if (!view) {
      const which = this.selection === 'test' ? 'the test split' : `epoch ${String(this.selection)}`;
      const missing = this.selection !== undefined && this.cache.get(key(this.selection)) === null;
      this.heading.textContent = this.selection === undefined
        ? 'No confusion matrix yet: one is saved after every epoch.'
        : missing ? `No confusion matrix was saved for ${which}.` : `Loading the confusion matrix of ${which}…`;
      if (!this.pending.has(key(this.selection ?? 0))) this.matrixBox.removeAttribute('aria-busy');
      replaceChildren(this.matrixBox);
      replaceChildren(this.classTable);
      replaceChildren(this.pairsList);
      return;
    }
    this.matrixBox.removeAttribute('aria-busy');
    const total = view.matrix.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
    const where = view.split === 'test' ? `the test split (model of epoch ${view.epoch})` : `validation, epoch ${view.epoch}`;
    this.heading.textContent = `Accuracy ${formatPercent(matrixAccuracy(view.matrix))} on ${formatCount(total)} images of ${where}. Rows: true class; columns: predicted class.`;
    this.renderMatrix(view);
    this.renderPairs(view);
    this.renderClassTable(view);
  }

  private renderMatrix(view: ConfusionView): void {
    const rates = normaliseRows(view.matrix);
    const largestCount = Math.max(0, ...view.matrix.flat());
    const compact = view.classes.length > 20;
    const header = h('tr', {}, h('th', { class: 'corner', attrs: { scope: 'col' } }, 'true \\ predicted'),
      ...view.classes.map((name) => h('th', { attrs: { scope: 'col', title: name }, class: compact ? 'vertical' : '' }, h('span', {}, name))));
    const rows = view.matrix.map((row, r) => h('tr', {},
      h('th', { attrs: { scope: 'row', title: view.classes[r] } }, view.classes[r]),
      ...row.map((count, c) => {
        const rate = rates[r][c];
        const heat = this.mode === 'percent' ? cellHeat(rate, 1) : cellHeat(count, largestCount);
        const text = this.mode === 'percent' ? (count === 0 ? '' : `${(rate * 100).toFixed(rate >= 0.1 || rate === 0 ? 0 : 1)}%`) : count === 0 ? '' : String(count);
        const selected = this.cell?.[0] === r && this.cell?.[1] === c;
        const focused = this.focusCell[0] === r && this.focusCell[1] === c;
        const cell = h('td', {
          class: `cell${r === c ? ' diagonal' : ''}${heat > 0.55 ? ' strong' : ''}${selected ? ' selected' : ''}`,
          attrs: {
            role: 'gridcell',
            tabindex: focused ? 0 : -1,
            'aria-selected': selected ? 'true' : 'false',
            'aria-label': `True ${view.classes[r]}, predicted ${view.classes[c]}: ${count} (${formatPercent(rate, 1)} of ${view.classes[r]})`,
            'data-row': r,
            'data-col': c,
          },
          on: {
            click: () => this.selectCell(r, c),
            keydown: (event) => this.onCellKey(event, r, c, view.classes.length),
          },
        }, text);
        cell.style.setProperty('--heat', heat.toFixed(3));
        return cell;
      })));
    const table = h('table', {
      class: `heatmap${compact ? ' compact' : ''}`,
      attrs: { role: 'grid', 'aria-label': `Confusion matrix, ${view.classes.length} classes. Use the arrow keys to move, Enter to show a cell's samples.` },
    }, h('thead', {}, header), h('tbody', {}, ...rows));
    replaceChildren(this.matrixBox, table);
  }

  private onCellKey(event: KeyboardEvent, r: number, c: number, size: number): void {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1],
      Home: [r, 0], End: [r, size - 1], PageUp: [0, c], PageDown: [size - 1, c],
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.selectCell(r, c);
      return;
    }
    const target = moves[event.key];
    if (!target) return;
    event.preventDefault();
    const [nr, nc] = [Math.min(size - 1, Math.max(0, target[0])), Math.min(size - 1, Math.max(0, target[1]))];
    this.focusCell = [nr, nc];
    const cells = this.matrixBox.querySelectorAll<HTMLElement>('td.cell');
    cells.forEach((cell) => cell.setAttribute('tabindex', '-1'));
    const next = this.matrixBox.querySelector<HTMLElement>(`td.cell[data-row="${nr}"][data-col="${nc}"]`);
    next?.setAttribute('tabindex', '0');
    next?.focus();
  }

  private selectCell(r: number, c: number): void {
    this.cell = [r, c];
    this.focusCell = [r, c];
    const view = this.current();
    if (view) this.renderMatrix(view);
    this.matrixBox.querySelector<HTMLElement>(`td.cell[data-row="${r}"][data-col="${c}"]`)?.focus();
    this.showCellSamples();
  }

  private showCellSamples(): void {
    const classes = this.predictions?.classes ?? this.current()?.classes ?? [];
    if (!this.cell) {
      this.gallery.show([], 'Click a cell of the matrix (or a pair above) to see its samples.');
      return;
    }
    const [r, c] = this.cell;
    if (!this.predictions) {
      this.gallery.show([], 'No predictions saved yet: they are written with the best epoch\'s model.');
      return;
    }
    const items = querySamples(this.predictions.items, { trueClass: r, predictedClass: c, outcome: 'all', order: 'confidenceDesc' });
    const source = this.selection === this.predictions.epoch
      ? `epoch ${this.predictions.epoch}`
      : `epoch ${this.predictions.epoch} (the best model's predictions; the matrix shows ${this.selection === 'test' ? 'the test split' : `epoch ${String(this.selection)}`})`;
    this.gallery.show(items, `True ${classes[r] ?? r}, predicted ${classes[c] ?? c}: ${items.length} validation sample${items.length === 1 ? '' : 's'} from ${source}, most confident first.`);
  }

  private renderPairs(view: ConfusionView): void {
    const pairs = mostConfusedPairs(view.matrix, 8);
    if (pairs.length === 0) {
      replaceChildren(this.pairsList, h('li', { class: 'muted' }, 'No mistakes.'));
      return;
    }
    replaceChildren(this.pairsList, ...pairs.map((pair) => h('li', {},
      h('button', {
        class: 'link', attrs: { type: 'button' },
        on: { click: () => this.selectCell(pair.trueIndex, pair.predictedIndex) },
      }, `${view.classes[pair.trueIndex]} → ${view.classes[pair.predictedIndex]}: ${pair.count} (${formatPercent(pair.rate, 1)})`))));
  }

  private renderClassTable(view: ConfusionView): void {
    const rows = view.perClass.map((metrics, i) => h('tr', {},
      h('th', { attrs: { scope: 'row' } }, view.classes[i] ?? metrics.label),
      h('td', { class: 'number' }, formatPercent(metrics.precision, 1)),
      h('td', { class: 'number' }, formatPercent(metrics.recall, 1)),
      h('td', { class: 'number' }, formatPercent(metrics.f1, 1)),
      h('td', { class: 'number' }, formatCount(metrics.support))));
    replaceChildren(this.classTable, h('table', { class: 'data-table', attrs: { 'aria-label': 'Per-class precision, recall, F1 and support' } },
      h('thead', {}, h('tr', {}, ...['Class', 'Precision', 'Recall', 'F1', 'Support'].map((title) => h('th', { attrs: { scope: 'col' } }, title)))),
      h('tbody', {}, ...rows)));
  }

  private exportMatrix(): void {
    const view = this.current();
    if (!view) return;
    const suffix = view.split === 'test' ? 'confusion-test' : `confusion-epoch-${view.epoch}`;
    const perClass = toCsv(['class', 'precision', 'recall', 'f1', 'support'], view.perClass.map((m, i) => [view.classes[i] ?? m.label, m.precision, m.recall, m.f1, m.support]));
    exportCsv(exportFileName(this.runName(), suffix, 'csv'), `${confusionCsv(view)}\r\n${perClass}`);
  }
}
