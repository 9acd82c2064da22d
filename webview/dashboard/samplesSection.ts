// The validation predictions of the best model as a gallery, filtered by class and outcome and
// ordered by confidence (the most confidently wrong first by default).
import type { PredictionsView, SampleImagesAccess } from '../../src/protocol/dashboardView';
import { dashboardHost } from './dashboardHost';
import { h, replaceChildren } from '../shared/dom';
import { formatCount, formatPercent } from '../shared/format';
import { SampleGallery } from './sampleGallery';
import type { SampleImageStore } from './sampleImageStore';
import { querySamples, type SampleOrder, type SampleOutcome, type SampleQuery } from './sampleQuery';

const ORDERS: { value: SampleOrder; label: string }[] = [
  { value: 'mistakesFirst', label: 'Most confidently wrong first' },
  { value: 'confidenceDesc', label: 'Most confident first' },
  { value: 'confidenceAsc', label: 'Least confident first' },
  { value: 'file', label: 'Dataset order' },
];

const OUTCOMES: { value: SampleOutcome; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'wrong', label: 'Wrong' },
  { value: 'correct', label: 'Correct' },
];

export class SamplesSection {
  readonly element: HTMLElement;
  private predictions?: PredictionsView;
  private query: SampleQuery = { outcome: 'all', order: 'mistakesFirst' };
  private readonly classSelect: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly gallery: SampleGallery;
  /** Why thumbnails cannot be shown, with a way to show them when the user may choose to. */
  private readonly notice: HTMLElement;

  constructor(store: SampleImageStore) {
    this.classSelect = h('vscode-single-select', {
      attrs: { id: 'samples-class', 'aria-label': 'True class' },
      on: {
        change: (event) => {
          const value = (event.target as HTMLSelectElement).value;
          this.query = { ...this.query, trueClass: value === '' ? undefined : Number(value) };
          this.render();
        },
      },
    });
    const select = <K extends 'outcome' | 'order'>(key: K, label: string, options: readonly { value: SampleQuery[K]; label: string }[]) => h('vscode-single-select', {
      attrs: { id: `samples-${key}`, 'aria-label': label },
      on: {
        change: (event) => {
          this.query = { ...this.query, [key]: (event.target as HTMLSelectElement).value as SampleQuery[K] };
          this.render();
        },
      },
    }, ...options.map((o) => h('vscode-option', { attrs: { value: o.value } }, o.label)));
    const outcomeSelect = select('outcome', 'Outcome', OUTCOMES);
    const orderSelect = select('order', 'Order', ORDERS);
    this.summary = h('p', { class: 'muted', attrs: { 'aria-live': 'polite' } });
    this.notice = h('div', { class: 'notice dataset-images', attrs: { role: 'status' } });
    this.notice.hidden = true;
    this.gallery = new SampleGallery(store, [], 'Validation samples');
    this.element = h('div', { class: 'samples' },
      h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Sample filters' } },
        h('label', { class: 'inline', attrs: { for: 'samples-class' } }, 'Class'), this.classSelect,
        h('label', { class: 'inline', attrs: { for: 'samples-outcome' } }, 'Outcome'), outcomeSelect,
        h('label', { class: 'inline', attrs: { for: 'samples-order' } }, 'Order'), orderSelect),
      this.notice,
      this.summary,
      this.gallery.element);
  }

  /** Whether the dataset's images can be shown; when not, the reason (and a button when the user may allow its folder). */
  setAccess(access: SampleImagesAccess): void {
    this.notice.hidden = access.shown;
    if (access.shown) {
      replaceChildren(this.notice);
      return;
    }
    replaceChildren(this.notice,
      h('span', {}, `Images are not shown. ${access.reason}`),
      access.canAllow && access.folder
        ? h('vscode-button', { attrs: { secondary: true }, on: { click: () => dashboardHost.post({ type: 'allowDatasetFolder' }) } }, 'Show Images From This Folder…')
        : null);
  }

  setPredictions(predictions: PredictionsView | undefined): void {
    const classesChanged = JSON.stringify(predictions?.classes) !== JSON.stringify(this.predictions?.classes);
    this.predictions = predictions;
    if (classesChanged) {
      replaceChildren(this.classSelect,
        h('vscode-option', { attrs: { value: '' } }, 'All classes'),
        ...(predictions?.classes ?? []).map((name, i) => h('vscode-option', { attrs: { value: i } }, name)));
      this.query = { ...this.query, trueClass: undefined };
    }
    if (predictions) this.gallery.setClasses(predictions.classes);
    this.render();
  }

  private render(): void {
    const predictions = this.predictions;
    if (!predictions) {
      this.summary.textContent = 'No predictions yet: the validation predictions of the best epoch are saved with its model.';
      this.gallery.show([], '');
      return;
    }
    const items = querySamples(predictions.items, this.query);
    const wrong = predictions.items.filter((item) => item.label !== item.predicted).length;
    this.summary.textContent = `${formatCount(predictions.items.length)} validation samples predicted by the model of epoch ${predictions.epoch}: ` +
      `${formatCount(wrong)} wrong (${formatPercent(predictions.items.length > 0 ? wrong / predictions.items.length : undefined, 1)}).`;
    this.gallery.show(items, `${formatCount(items.length)} match the filters.`);
  }
}
