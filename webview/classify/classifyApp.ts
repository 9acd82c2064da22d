// The result tab: one image (picture with its heat map, top-5 bars) or, for several images, a
// sortable table of file, top class and confidence whose rows open each image's result.
import type { ClassifiedImage, ClassifySnapshot, FromClassifyView, SaliencyMap, ToClassifyView } from '../../src/protocol/classifyView';
import { assertNever } from '../shared/assertNever';
import { h } from '../shared/dom';
import { exportCsv } from '../shared/exportFile';
import { formatPercent } from '../shared/format';
import { hostChannel } from '../shared/hostChannel';
import { oncePerFrame } from '../shared/oncePerFrame';
import { classificationCsv } from './classificationCsv';
import { paintHeatMap, paintLegend } from './heatMap';

type SortKey = 'file' | 'class' | 'confidence';

const METHOD_NAMES = { 'grad-cam': 'Grad-CAM', 'integrated-gradients': 'Integrated gradients' } as const;

/** Kept by VS Code for the panel serializer: what to classify again after a window reload. */
const host = hostChannel<FromClassifyView, ClassifySnapshot['restore']>();
const percent = (value: number) => formatPercent(value, 1);

export class ClassifyApp {
  private snapshot?: ClassifySnapshot;
  private detail?: number;
  private readonly saliency = new Map<number, { map?: SaliencyMap; error?: string }>();
  private sort: { key: SortKey; ascending: boolean } = { key: 'confidence', ascending: true };
  private opacity = 0.5;
  private readonly queueRender = oncePerFrame(() => this.render());

  constructor(private readonly root: HTMLElement) {}

  receive(message: ToClassifyView): void {
    switch (message.type) {
      case 'snapshot':
        this.snapshot = message.snapshot;
        this.detail = message.snapshot.detailIndex;
        this.saliency.clear();
        host.saveState(message.snapshot.restore);
        break;
      case 'images':
        if (!this.snapshot) return;
        for (const image of message.images) this.snapshot.images[image.index] = image;
        this.snapshot.running = message.running;
        break;
      case 'failure':
        if (!this.snapshot) return;
        this.snapshot.failure = message.message;
        this.snapshot.running = false;
        break;
      case 'saliency':
        this.saliency.set(message.index, { map: message.saliency, error: message.error });
        break;
      default:
        assertNever(message);
        return;
    }
    this.queueRender();
  }


  private render(): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    const scrollTop = document.scrollingElement?.scrollTop ?? 0;
    this.root.replaceChildren(this.header(snapshot));
    this.root.removeAttribute('aria-busy');
    if (snapshot.failure) {
      this.root.append(h('div', { class: 'failure', attrs: { role: 'alert' } }, snapshot.failure));
      return;
    }
    if (snapshot.note) this.root.append(h('p', { class: 'note' }, snapshot.note));
    if (this.detail !== undefined && snapshot.images[this.detail]) {
      this.root.append(this.detailView(snapshot, snapshot.images[this.detail]));
    } else {
      this.root.append(this.tableView(snapshot));
      if (document.scrollingElement) document.scrollingElement.scrollTop = scrollTop;
    }
  }

  private header(snapshot: ClassifySnapshot): HTMLElement {
    const model = snapshot.model;
    const runLink = model
      ? h('a', {
        class: 'run-link', attrs: { href: '#', title: `Open the dashboard of ${model.runName}` },
        on: { click: (event) => { event.preventDefault(); host.post({ type: 'openRun', runId: model.runId }); } },
      }, model.runName)
      : h('span', { class: 'muted' }, 'loading the model…');
    const facts = model ? [
      model.modelKind?.toUpperCase(),
      model.accuracy !== undefined ? `val acc ${percent(model.accuracy)}`
        : model.trainAccuracy !== undefined ? `train acc ${percent(model.trainAccuracy)} (no validation split)` : undefined,
      `${model.classes.length} classes`,
      `input ${model.inputShape.join('x')}`,
    ].filter(Boolean).join(' · ') : '';
    const change = h('vscode-button', { class: 'change-model', attrs: { secondary: true }, on: { click: () => host.post({ type: 'chooseModel' }) } }, 'Change Model…');
    return h('header', {},
      h('h1', {}, snapshot.title),
      h('p', { class: 'model' }, 'Model: ', runLink, facts ? h('span', { class: 'muted' }, ` · ${facts}`) : null, ' ', change),
    );
  }

  private detailView(snapshot: ClassifySnapshot, image: ClassifiedImage): HTMLElement {
    const section = h('section', { class: 'detail', attrs: { 'aria-label': `Result for ${image.label}` } });
    if (snapshot.images.length > 1) {
      section.append(h('vscode-button', {
        class: 'back', attrs: { secondary: true },
        on: { click: () => { this.detail = undefined; host.post({ type: 'closeImage' }); this.render(); } },
      }, '← All Images'));
    }
    const reveal = h('a', {
      class: 'reveal', attrs: { href: '#', title: image.path },
      on: { click: (event) => { event.preventDefault(); host.post({ type: 'revealImage', index: image.index }); } },
    }, 'Reveal in Explorer');
    // One image: the page title already names it.
    section.append(snapshot.images.length > 1 ? h('h2', { attrs: { title: image.path } }, image.label, ' ', reveal) : h('p', { class: 'path' }, reveal));

    const picture = h('img', { class: 'picture', attrs: { src: image.src, alt: image.label } });
    const overlay = h('canvas', { class: 'heat-map', attrs: { 'aria-hidden': 'true' } });
    overlay.style.opacity = String(this.opacity);
    const figure = h('div', { class: 'figure' }, picture, overlay);
    picture.addEventListener('load', () => {
      // Small images (MNIST's 28x28) are shown enlarged with visible pixels.
      if (picture.naturalWidth < 96 && picture.naturalHeight < 96) picture.classList.add('pixelated');
    });
    const explanation = this.saliency.get(image.index);
    const caption = h('p', { class: 'caption' });
    if (image.error) {
      // The error is shown beside the picture; no heat map to describe.
    } else if (explanation?.map) {
      paintHeatMap(overlay, explanation.map);
      figure.classList.add('has-heat-map');
      const label = image.top?.[0]?.label ?? '';
      const method = METHOD_NAMES[explanation.map.method];
      caption.append(`${method}${explanation.map.layer ? ` of ${explanation.map.layer}` : ''}: where the model looked to answer “${label}”.`);
    } else if (explanation?.error) {
      caption.textContent = `No heat map: ${explanation.error}`;
    } else if (image.top) {
      caption.textContent = 'Computing the heat map…';
    }
    const slider = h('input', { attrs: { type: 'range', min: 0, max: 100, value: Math.round(this.opacity * 100), id: 'opacity', 'aria-label': 'Heat map opacity' } });
    slider.addEventListener('input', () => {
      this.opacity = Number(slider.value) / 100;
      overlay.style.opacity = String(this.opacity);
    });
    const legend = h('canvas', { class: 'legend', attrs: { 'aria-hidden': 'true' } });
    paintLegend(legend);
    const controls = h('div', { class: 'controls' },
      h('div', { class: 'control-row' }, h('label', { attrs: { for: 'opacity' } }, 'Heat map opacity'), slider),
      h('div', { class: 'control-row' }, h('span', { class: 'legend-label' }, 'weighed least'), legend, h('span', { class: 'legend-label' }, 'most')),
    );

    const scores = h('div', { class: 'scores' });
    if (image.error) {
      scores.append(h('div', { class: 'failure', attrs: { role: 'alert' } }, image.error));
    } else if (!image.top) {
      scores.append(h('p', { class: 'muted' }, 'Classifying…'));
    } else {
      scores.append(h('h3', {}, 'Top classes'));
      const list = h('ol', { class: 'bars' });
      image.top.forEach((score, rank) => {
        const bar = h('span', { class: 'bar' });
        bar.style.width = `${Math.max(0.5, score.probability * 100)}%`;
        list.append(h('li', { class: rank === 0 ? 'top' : '' },
          h('span', { class: 'class-name', attrs: { title: score.label } }, score.label),
          h('span', { class: 'track' }, bar),
          h('span', { class: 'value' }, percent(score.probability))));
      });
      scores.append(list);
    }
    section.append(h('div', { class: 'result' }, h('div', { class: 'picture-column' }, figure, caption, image.error ? null : controls), scores));
    return section;
  }

  private sorted(images: ClassifiedImage[]): ClassifiedImage[] {
    const { key, ascending } = this.sort;
    const sign = ascending ? 1 : -1;
    const value = (image: ClassifiedImage) => image.top?.[0]?.probability;
    return [...images].sort((a, b) => {
      if (key === 'confidence') {
        const va = value(a);
        const vb = value(b);
        // Not yet classified, then failed images, always after the classified ones.
        if (va === undefined || vb === undefined) return (va === undefined ? 1 : 0) - (vb === undefined ? 1 : 0) || a.index - b.index;
        return sign * (va - vb) || a.index - b.index;
      }
      const ta = key === 'file' ? a.label : a.top?.[0]?.label ?? '\uffff';
      const tb = key === 'file' ? b.label : b.top?.[0]?.label ?? '\uffff';
      return sign * ta.localeCompare(tb, undefined, { numeric: true }) || a.index - b.index;
    });
  }

  private tableView(snapshot: ClassifySnapshot): HTMLElement {
    const done = snapshot.images.filter((i) => i.top || i.error).length;
    const failed = snapshot.images.filter((i) => i.error).length;
    const exportButton = h('vscode-button', {
      class: 'export', attrs: { disabled: snapshot.running },
      on: { click: () => exportCsv('classifications.csv', classificationCsv(snapshot.images)) },
    }, 'Export CSV…');
    const status = snapshot.running
      ? `Classified ${done.toLocaleString('en-US')} of ${snapshot.total.toLocaleString('en-US')}…`
      : `${snapshot.total.toLocaleString('en-US')} images${failed > 0 ? ` · ${failed} could not be read` : ''} · lowest confidence first`;
    const toolbar = h('div', { class: 'toolbar' }, h('span', { class: 'status', attrs: { role: 'status' } }, status), exportButton);
    const progress = snapshot.running ? h('progress', { attrs: { max: snapshot.total, value: done, 'aria-label': 'Classification progress' } }) : null;

    const headerCell = (key: SortKey, text: string) => {
      const active = this.sort.key === key;
      const button = h('button', {
        class: 'sort', attrs: { type: 'button' },
        on: { click: () => { this.sort = { key, ascending: active ? !this.sort.ascending : true }; this.render(); } },
      }, text, active ? (this.sort.ascending ? ' ▲' : ' ▼') : '');
      return h('th', { attrs: { scope: 'col', 'aria-sort': active ? (this.sort.ascending ? 'ascending' : 'descending') : 'none' } }, button);
    };
    const body = h('tbody');
    for (const image of this.sorted(snapshot.images)) {
      const top = image.top?.[0];
      const row = h('tr', { class: image.error ? 'error-row' : '', attrs: { tabindex: 0, title: image.error ?? image.path } },
        h('td', { class: 'thumbnail' }, image.error ? null : h('img', { attrs: { src: image.src, alt: '', loading: 'lazy' } })),
        h('td', { class: 'file' }, image.label),
        h('td', {}, image.error ? h('span', { class: 'error-text' }, 'unreadable') : top?.label ?? '…'),
        h('td', { class: 'number' }, top ? percent(top.probability) : ''),
      );
      const open = () => {
        this.detail = image.index;
        host.post({ type: 'openImage', index: image.index });
        this.render();
        window.scrollTo(0, 0);
      };
      row.addEventListener('click', open);
      row.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          open();
        }
      });
      body.append(row);
    }
    const table = h('table', { class: 'results' },
      h('thead', {}, h('tr', {}, h('th', { class: 'thumbnail', attrs: { scope: 'col' } }, h('span', { class: 'visually-hidden' }, 'Image')), headerCell('file', 'File'), headerCell('class', 'Top class'), headerCell('confidence', 'Confidence'))),
      body);
    return h('section', { class: 'table-view' }, toolbar, progress, table);
  }
}
