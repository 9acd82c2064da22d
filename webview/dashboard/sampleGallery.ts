// A thumbnail gallery of validation samples: image, true and predicted class, confidence. Clicking a
// thumbnail opens the image file in the editor, or (for samples inside binary datasets) enlarges it.
import type { SampleImage, SampleItem } from '../../src/protocol/dashboardView';
import { h, replaceChildren } from '../shared/dom';
import { drawPixels } from '../shared/pixelCanvas';
import { formatPercent } from '../shared/format';
import type { SampleImageStore } from './sampleImageStore';
import { dashboardHost } from './dashboardHost';

const PAGE_SIZE = 60;

export class SampleGallery {
  readonly element: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly more: HTMLElement;
  private readonly viewer: HTMLDialogElement;
  private items: SampleItem[] = [];
  private shown = 0;

  constructor(private readonly store: SampleImageStore, private classes: string[], label: string) {
    this.caption = h('p', { class: 'gallery-caption', attrs: { 'aria-live': 'polite' } });
    this.grid = h('ul', { class: 'gallery', attrs: { 'aria-label': label } });
    this.more = h('vscode-button', { attrs: { secondary: true }, on: { click: () => this.showMore() } }, 'Show more');
    this.viewer = h('dialog', { class: 'sample-viewer', attrs: { 'aria-label': 'Enlarged sample' } });
    this.element = h('div', { class: 'sample-gallery' }, this.caption, this.grid, this.more, this.viewer);
    this.more.hidden = true;
  }

  setClasses(classes: string[]): void {
    this.classes = classes;
  }

  show(items: SampleItem[], caption: string): void {
    this.items = items;
    this.shown = 0;
    this.caption.textContent = caption;
    replaceChildren(this.grid);
    this.showMore();
  }

  private className(index: number): string {
    return this.classes[index] ?? `class ${index}`;
  }

  private showMore(): void {
    const page = this.items.slice(this.shown, this.shown + PAGE_SIZE);
    this.shown += page.length;
    for (const item of page) this.grid.appendChild(this.thumbnail(item));
    this.store.request(page.map((item) => item.index));
    this.more.hidden = this.shown >= this.items.length;
    this.more.textContent = `Show more (${(this.items.length - this.shown).toLocaleString('en-US')} left)`;
  }

  private thumbnail(item: SampleItem): HTMLElement {
    const correct = item.label === item.predicted;
    const picture = h('div', { class: 'thumb-image', attrs: { 'aria-hidden': 'true' } });
    const description = `${item.name}: true ${this.className(item.label)}, predicted ${this.className(item.predicted)} with ${formatPercent(item.confidence, 0)} confidence`;
    let image: SampleImage | undefined;
    const button = h('button', {
      class: `thumb ${correct ? 'correct' : 'wrong'}`,
      attrs: { type: 'button', 'aria-label': description, title: description, 'data-index': item.index },
      on: { click: () => this.open(item, image) },
    },
    picture,
    h('span', { class: 'thumb-label' }, correct ? this.className(item.label) : `${this.className(item.label)} → ${this.className(item.predicted)}`),
    h('span', { class: 'thumb-confidence' }, formatPercent(item.confidence, 0)));
    this.store.get(item.index, (arrived) => {
      image = arrived;
      if (arrived.kind === 'uri') {
        picture.appendChild(h('img', { attrs: { src: arrived.uri, alt: '', loading: 'lazy', decoding: 'async' } }));
      } else if (arrived.kind === 'pixels') {
        const canvas = h('canvas', { class: 'pixelated' });
        drawPixels(canvas, arrived);
        picture.appendChild(canvas);
      } else {
        picture.appendChild(h('span', { class: 'thumb-missing', attrs: { title: arrived.reason } }, '?'));
      }
    });
    return h('li', {}, button);
  }

  private open(item: SampleItem, image: SampleImage | undefined): void {
    if (image?.kind === 'uri') {
      dashboardHost.post({ type: 'openSample', index: item.index });
      return;
    }
    if (image?.kind !== 'pixels') return;
    const canvas = h('canvas', { class: 'pixelated enlarged' });
    drawPixels(canvas, image);
    const close = h('vscode-button', { on: { click: () => this.viewer.close() } }, 'Close');
    replaceChildren(this.viewer,
      h('p', {}, `${item.name}: true ${this.className(item.label)}, predicted ${this.className(item.predicted)} (${formatPercent(item.confidence, 1)})`),
      canvas, h('div', { class: 'dialog-actions' }, close));
    this.viewer.showModal();
  }
}
