// The dataset tab: the inspection's progress, then the report: class balance as bars (train and test),
// image sizes and channels as histograms, a mean image per class, every finding (files as links,
// duplicates as groups of thumbnails, likely mislabelled images ranked with Open and Move to Class…)
// and a sample grid per class.
import type {
  DatasetSnapshot, DuplicateFinding, EncodedDatasetReport, EncodedPixels, Finding, FromDatasetView, ImageRef, InspectProgress,
  MislabelledFinding, ToDatasetView,
} from '../../src/protocol/datasetView';
import { assertNever } from '../shared/assertNever';
import { h, replaceChildren } from '../shared/dom';
import { formatCount, formatNumber, formatPercent } from '../shared/format';
import { hostChannel } from '../shared/hostChannel';
import { oncePerFrame } from '../shared/oncePerFrame';
import { drawPixels } from '../shared/pixelCanvas';
import {
  balanceRows, findingSections, histogramBars, methodLine, ROLE_TEXT, summaryLine, type FindingSection, type HistogramBar,
} from './datasetFigures';
import { PixelStore } from './pixelStore';

/** Kept by VS Code for the panel serializer: what to inspect again after a window reload. */
const host = hostChannel<FromDatasetView, DatasetSnapshot['restore']>();

/** Findings of one kind shown at first; "Show more" adds as many again. */
const PAGE = 40;

const ODD_PROBLEMS = {
  tiny: 'tiny', huge: 'huge', wrongExtension: 'wrong extension', outsideClassFolder: 'outside the class folders', ignoredFolder: 'ignored folder',
} as const;

function progressText(progress: InspectProgress | undefined): string {
  if (!progress) return 'Starting…';
  const what = progress.phase === 'reading' ? 'Reading images' : 'Comparing images';
  return `${what}: ${formatCount(progress.done)} of ${formatCount(progress.total)}`;
}

function button(label: string, onClick: () => void, options: { secondary?: boolean; class?: string; title?: string } = {}): HTMLElement {
  return h('vscode-button', { class: options.class, attrs: { secondary: options.secondary, title: options.title }, on: { click: onClick } }, label);
}

export class DatasetApp {
  private snapshot?: DatasetSnapshot;
  private readonly pixels = new PixelStore((message) => host.post(message));
  /** Pixels the report itself carries (class samples), by source. */
  private samplePixels = new Map<string, EncodedPixels>();
  private readonly shown = new Map<string, number>();
  private statusElement?: HTMLElement;
  private readonly viewer: HTMLDialogElement;
  private readonly queueRender = oncePerFrame(() => this.render());
  private renderedReport?: EncodedDatasetReport;

  constructor(private readonly root: HTMLElement) {
    this.viewer = h('dialog', { class: 'viewer', attrs: { 'aria-label': 'Enlarged image' } });
  }

  receive(message: ToDatasetView): void {
    switch (message.type) {
      case 'snapshot':
        this.snapshot = message.snapshot;
        host.saveState(message.snapshot.restore);
        if (message.snapshot.report !== this.renderedReport) {
          this.samplePixels = new Map(message.snapshot.report?.classes.flatMap((c) => c.samples.map((s) => [s.source, s.pixels] as const)) ?? []);
          this.pixels.clear();
        }
        this.queueRender();
        return;
      case 'progress':
        if (!this.snapshot) return;
        this.snapshot.progress = message.progress;
        this.renderStatus();
        return;
      case 'stale':
        if (!this.snapshot) return;
        this.snapshot.stale = true;
        this.renderStatus();
        return;
      case 'pixels':
        this.pixels.receive(message.images);
        return;
      default:
        assertNever(message);
    }
  }


  private render(): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    const scrollTop = document.scrollingElement?.scrollTop ?? 0;
    const report = snapshot.report;
    this.renderedReport = report;
    this.statusElement = h('div', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.root.replaceChildren(this.header(snapshot), this.statusElement);
    this.renderStatus();
    if (report) {
      this.root.append(
        this.overview(report),
        this.balanceSection(report),
        this.imagesSection(report),
        this.meanSection(report),
        ...findingSections(report).map((section) => this.findingSection(section, report)),
        ...(report.findingCounts.likelyMislabelled === 0 ? [this.mislabelledHint(snapshot)] : []),
        this.samplesSection(report),
        h('footer', {}, h('p', { class: 'muted method' }, methodLine(report), ' Nothing in the dataset was changed.')),
      );
    }
    this.root.append(this.viewer);
    this.root.removeAttribute('aria-busy');
    if (document.scrollingElement) document.scrollingElement.scrollTop = scrollTop;
  }

  private header(snapshot: DatasetSnapshot): HTMLElement {
    const report = snapshot.report;
    const run = snapshot.run;
    const runLine = run ? h('p', { class: 'run' }, 'Likely mislabelled images by the model of run ',
      run.runId
        ? h('a', { class: 'run-link', attrs: { href: '#', title: 'Open its dashboard' }, on: { click: (event) => { event.preventDefault(); host.post({ type: 'openRun', runId: run.runId! }); } } }, run.name)
        : h('strong', {}, run.name),
      report?.run ? h('span', { class: 'muted' }, `${report.run.epoch !== undefined ? ` · best epoch ${report.run.epoch}` : ''} · it agrees with ${formatPercent(report.run.accuracy, 1)} of ${formatCount(report.run.examined)} labels`) : null,
    ) : null;
    const actions = h('div', { class: 'actions' },
      button('Refresh', () => host.post({ type: 'refresh' }), { class: 'refresh', title: 'Inspect the dataset again' }),
      button(run ? 'Change Run…' : 'Inspect with Run…', () => host.post({ type: 'chooseRun' }), { secondary: true, class: 'choose-run', title: 'A trained run\'s model ranks the images it contradicts most confidently' }),
      run ? button('Without Run', () => host.post({ type: 'clearRun' }), { secondary: true, class: 'clear-run' }) : null,
    );
    return h('header', {},
      h('h1', {}, snapshot.title),
      h('p', { class: 'muted root', attrs: { title: snapshot.root } }, snapshot.root),
      report ? h('p', { class: 'summary' }, summaryLine(report), h('span', { class: 'muted' }, ` · inspected in ${report.seconds.toFixed(1)} s`)) : null,
      runLine,
      actions,
      report && report.warnings.length > 0 ? h('ul', { class: 'warnings' }, ...report.warnings.map((warning) => h('li', {}, warning))) : null,
    );
  }

  /** The part that changes while inspecting: progress with Cancel, a failure, a cancelled or stale note. */
  private renderStatus(): void {
    const snapshot = this.snapshot;
    const element = this.statusElement;
    if (!snapshot || !element) return;
    const parts: (HTMLElement | null)[] = [];
    if (snapshot.state === 'inspecting') {
      const progress = snapshot.progress;
      parts.push(h('div', { class: 'inspecting' },
        h('span', { class: 'progress-text' }, `${snapshot.report ? 'Inspecting again' : 'Inspecting'}${snapshot.run ? ` with run "${snapshot.run.name}"` : ''} · ${progressText(progress)}`),
        button('Cancel', () => host.post({ type: 'cancel' }), { secondary: true, class: 'cancel' })));
      parts.push(h('progress', { attrs: { max: progress?.total || 1, value: progress?.done ?? 0, 'aria-label': 'Inspection progress' } }));
    } else if (snapshot.state === 'failed') {
      parts.push(h('div', { class: 'failure', attrs: { role: 'alert' } }, snapshot.failure ?? 'The inspection failed.'));
    } else if (snapshot.state === 'cancelled') {
      parts.push(h('p', { class: 'note' }, snapshot.report ? 'Inspection cancelled: these findings are from the previous one.' : 'Inspection cancelled.', ' ',
        button('Inspect Again', () => host.post({ type: 'refresh' }), { secondary: true })));
    }
    if (snapshot.stale && snapshot.state === 'ready') {
      parts.push(h('p', { class: 'note stale' }, 'Files in this dataset changed since it was inspected. ', button('Refresh', () => host.post({ type: 'refresh' }), { secondary: true })));
    }
    replaceChildren(element, ...parts);
  }

  private overview(report: EncodedDatasetReport): HTMLElement {
    const sections = findingSections(report);
    if (sections.length === 0) return h('p', { class: 'overview none' }, 'No problems found.');
    return h('nav', { class: 'overview', attrs: { 'aria-label': 'Findings' } },
      h('span', { class: 'muted' }, `${formatCount(report.findings.length)} finding${report.findings.length === 1 ? '' : 's'}:`),
      ...sections.map((section) => h('button', {
        class: 'overview-item', attrs: { type: 'button', 'data-kind': section.kind },
        on: { click: () => document.getElementById(`finding-${section.kind}`)?.scrollIntoView({ block: 'start' }) },
      }, `${section.title} `, h('span', { class: 'count' }, formatCount(section.findings.length)))));
  }

  private balanceSection(report: EncodedDatasetReport): HTMLElement {
    const rows = balanceRows(report.classes, report.findings);
    const hasTest = report.totals.test > 0;
    const bar = (split: 'train' | 'test', share: number, count: number, flagged: boolean) => {
      const element = h('span', { class: `bar ${split}${flagged ? ' flagged' : ''}`, attrs: { title: `${formatCount(count)} ${split === 'train' ? 'training' : 'test'} images${flagged ? ' (imbalanced)' : ''}` } });
      element.style.width = `${Math.max(count > 0 ? 0.5 : 0, share * 100)}%`;
      return h('span', { class: 'track' }, element);
    };
    return h('section', { class: 'balance', attrs: { id: 'balance' } },
      h('h2', {}, 'Class balance'),
      h('p', { class: 'legend' }, h('span', { class: 'swatch train' }), ' training', hasTest ? h('span', { class: 'swatch test' }) : null, hasTest ? ' test' : null,
        h('span', { class: 'swatch flagged' }), ' imbalanced'),
      h('div', { class: 'balance-chart', attrs: { role: 'table', 'aria-label': 'Images per class and split' } },
        ...rows.map((row) => h('div', { class: 'balance-row', attrs: { role: 'row', 'data-class': row.name } },
          h('span', { class: 'class-name', attrs: { role: 'rowheader', title: row.name } }, row.name),
          h('span', { class: 'bars', attrs: { role: 'cell' } }, bar('train', row.trainShare, row.train, row.imbalanced.train), hasTest ? bar('test', row.testShare, row.test, row.imbalanced.test) : null),
          h('span', { class: 'counts', attrs: { role: 'cell' } }, hasTest ? `${formatCount(row.train)} / ${formatCount(row.test)}` : formatCount(row.train))))),
    );
  }

  private histogram(title: string, bars: HistogramBar[]): HTMLElement {
    return h('figure', { class: 'histogram' },
      h('figcaption', {}, title),
      h('div', { class: 'histogram-bars', attrs: { role: 'list' } }, ...bars.map((item) => {
        const column = h('span', { class: 'column' });
        column.style.height = `${Math.max(item.count > 0 ? 2 : 0, item.share * 100)}%`;
        return h('span', { class: 'histogram-bar', attrs: { role: 'listitem', title: `${item.label}: ${formatCount(item.count)}` } },
          h('span', { class: 'column-area' }, column), h('span', { class: 'histogram-label' }, item.tick));
      })));
  }

  private imagesSection(report: EncodedDatasetReport): HTMLElement {
    const { images } = report;
    const total = Math.max(1, images.channels.grey + images.channels.colour);
    const channelBar = (kind: 'grey' | 'colour') => {
      const fill = h('span', { class: `bar ${kind}` });
      fill.style.width = `${(images.channels[kind] / total) * 100}%`;
      return h('div', { class: 'channel-row' }, h('span', { class: 'class-name' }, kind === 'grey' ? 'grey (1 channel)' : 'colour (3 channels)'), h('span', { class: 'track' }, fill), h('span', { class: 'counts' }, formatCount(images.channels[kind])));
    };
    return h('section', { class: 'images', attrs: { id: 'images' } },
      h('h2', {}, 'Image sizes and channels'),
      h('p', {}, 'Most common sizes: ', images.sizes.slice(0, 6).map((s) => `${s.width} × ${s.height} (${formatCount(s.count)})`).join(', ') || '–',
        '. Formats: ', images.formats.map((f) => `${f.format} (${formatCount(f.count)})`).join(', ') || '–', '.'),
      h('div', { class: 'histograms' },
        this.histogram('Widths (pixels)', histogramBars(images.widths, 'pixels')),
        this.histogram('Heights (pixels)', histogramBars(images.heights, 'pixels')),
        images.fileBytes ? this.histogram('File sizes', histogramBars(images.fileBytes, 'bytes')) : null),
      h('div', { class: 'channels', attrs: { 'aria-label': 'Channels' } }, channelBar('grey'), channelBar('colour')),
    );
  }

  private meanSection(report: EncodedDatasetReport): HTMLElement {
    const [height, width] = report.analysisShape;
    return h('section', { class: 'means', attrs: { id: 'means' } },
      h('h2', {}, 'Mean image per class'),
      h('p', { class: 'muted' }, `The average of each class's images at ${height} × ${width}: a class whose mean looks unlike the others', or blurred into nothing, is worth a look.`),
      h('ul', { class: 'mean-grid' }, ...report.classes.map((c) => {
        const picture = c.meanImage ? h('canvas', { class: 'pixelated', attrs: { 'aria-label': `Mean image of ${c.name}` } }) : h('span', { class: 'thumb-missing' }, '–');
        if (c.meanImage && picture instanceof HTMLCanvasElement) drawPixels(picture, c.meanImage);
        return h('li', { class: 'mean', attrs: { 'data-class': c.name } }, h('span', { class: 'mean-image' }, picture), h('span', { class: 'class-name', attrs: { title: c.name } }, c.name));
      })),
    );
  }

  /** A thumbnail of `source`: the image file, the report's pixels, or pixels asked of the panel. Clicking opens it (or enlarges an example). */
  private thumbnail(source: string, caption: string, extraClass = ''): HTMLElement {
    const view = this.snapshot?.sources[source];
    const name = view?.name ?? source;
    const picture = h('span', { class: 'thumb-image', attrs: { 'aria-hidden': 'true' } });
    let pixels: EncodedPixels | undefined;
    const showPixels = (answer: { pixels?: EncodedPixels; error?: string }) => {
      if (answer.pixels) {
        pixels = answer.pixels;
        const canvas = h('canvas', { class: 'pixelated' });
        drawPixels(canvas, answer.pixels);
        picture.replaceChildren(canvas);
      } else {
        picture.replaceChildren(h('span', { class: 'thumb-missing', attrs: { title: answer.error ?? '' } }, '?'));
      }
    };
    if (view?.uri) {
      const image = h('img', { attrs: { src: view.uri, alt: '', loading: 'lazy', decoding: 'async' } });
      image.addEventListener('load', () => { if (image.naturalWidth < 96 && image.naturalHeight < 96) image.classList.add('pixelated'); });
      image.addEventListener('error', () => picture.replaceChildren(h('span', { class: 'thumb-missing', attrs: { title: 'cannot be shown' } }, '?')));
      picture.append(image);
    } else if (this.samplePixels.has(source)) {
      showPixels({ pixels: this.samplePixels.get(source) });
    } else if (view && !view.openable) {
      this.pixels.get(source, showPixels);
    }
    const label = `${name}${caption ? ` (${caption})` : ''}`;
    return h('button', {
      class: `thumb ${extraClass}`.trim(), attrs: { type: 'button', title: label, 'aria-label': label, 'data-source': source },
      on: { click: () => (view?.openable ? host.post({ type: 'open', source }) : this.enlarge(name, pixels)) },
    }, picture, caption ? h('span', { class: 'thumb-label' }, caption) : null);
  }

  private enlarge(name: string, pixels: EncodedPixels | undefined): void {
    if (!pixels) return;
    const canvas = h('canvas', { class: 'pixelated enlarged' });
    drawPixels(canvas, pixels);
    replaceChildren(this.viewer, h('p', {}, name), canvas, h('div', { class: 'dialog-actions' }, button('Close', () => this.viewer.close())));
    this.viewer.showModal();
  }

  private fileLink(source: string): HTMLElement {
    const view = this.snapshot?.sources[source];
    const name = view?.name ?? source;
    if (!view?.openable) return h('span', { class: 'file-name' }, name);
    return h('a', {
      class: 'file-link', attrs: { href: '#', title: `Open ${name}`, 'data-source': source },
      on: { click: (event) => { event.preventDefault(); host.post({ type: 'open', source }); } },
    }, name);
  }

  private findingSection(section: FindingSection, report: EncodedDatasetReport): HTMLElement {
    const shown = this.shown.get(section.kind) ?? PAGE;
    const visible = section.findings.slice(0, shown);
    let list: HTMLElement;
    switch (section.kind) {
      case 'duplicate':
      case 'nearDuplicate':
      case 'crossClassDuplicate':
      case 'trainTestLeak':
        list = h('ol', { class: 'groups' }, ...visible.map((finding) => this.group(finding as DuplicateFinding, report)));
        break;
      case 'likelyMislabelled':
        list = this.mislabelledTable(visible as MislabelledFinding[]);
        break;
      default:
        list = h('ul', { class: 'file-findings' }, ...visible.map((finding) => this.fileFinding(finding)));
    }
    const more = section.findings.length > shown
      ? button(`Show more (${formatCount(section.findings.length - shown)} left)`, () => { this.shown.set(section.kind, shown + PAGE); this.render(); }, { secondary: true, class: 'more' })
      : null;
    return h('section', { class: `findings ${section.kind}`, attrs: { id: `finding-${section.kind}`, 'data-kind': section.kind } },
      h('h2', {}, `${section.title} `, h('span', { class: 'count' }, formatCount(section.findings.length))),
      h('p', { class: 'muted about' }, section.about),
      list, more);
  }

  private group(finding: DuplicateFinding, report: EncodedDatasetReport): HTMLElement {
    const caption = (image: ImageRef) => (report.classes.length > 0 ? `${image.className} · ${image.split}` : image.split);
    return h('li', { class: `group${finding.exact ? ' exact' : ''}` },
      h('p', { class: 'message' }, finding.message),
      h('div', { class: 'thumbs' }, ...finding.images.map((image) => this.thumbnail(image.source, caption(image)))));
  }

  private fileFinding(finding: Finding): HTMLElement {
    const badge = finding.kind === 'odd' ? h('span', { class: 'badge' }, ODD_PROBLEMS[finding.problem])
      : finding.kind === 'unreadable' ? h('span', { class: 'badge error' }, 'unreadable')
        : finding.kind === 'imbalance' ? h('span', { class: 'badge' }, `${finding.className} · ${finding.split}`) : null;
    return h('li', { class: 'file-finding', attrs: { 'data-kind': finding.kind } },
      badge, ...finding.files.slice(0, 1).map((file) => this.fileLink(file)),
      h('span', { class: 'message' }, finding.message));
  }

  private mislabelledTable(findings: MislabelledFinding[]): HTMLElement {
    const rows = findings.map((finding) => {
      const source = finding.image.source;
      const view = this.snapshot?.sources[source];
      return h('tr', { class: 'mislabelled-row', attrs: { 'data-source': source } },
        h('td', { class: 'number rank' }, String(finding.rank)),
        h('td', { class: 'thumb-cell' }, this.thumbnail(source, '')),
        h('td', { class: 'file' }, this.fileLink(source)),
        h('td', { class: 'labels' }, h('span', { class: 'label' }, finding.image.className), ' → ', h('strong', { class: 'predicted' }, finding.predicted)),
        h('td', { class: 'number confidence' }, formatPercent(finding.confidence, 0)),
        h('td', { class: 'role' }, ROLE_TEXT[finding.role]),
        h('td', { class: 'number loss' }, formatNumber(finding.loss, 3)),
        h('td', { class: 'row-actions' },
          view?.openable ? button('Open', () => host.post({ type: 'open', source }), { secondary: true, class: 'open' }) : null,
          view?.movable ? button('Move to Class…', () => host.post({ type: 'moveToClass', source }), { secondary: true, class: 'move', title: `Move it to another class folder (the model says '${finding.predicted}')` }) : null));
    });
    return h('table', { class: 'mislabelled' },
      h('thead', {}, h('tr', {}, ...['#', 'Image', 'File', 'Label → model', 'Confidence', 'Role', 'Loss', ''].map((title) => h('th', { attrs: { scope: 'col' } }, title)))),
      h('tbody', {}, ...rows));
  }

  private mislabelledHint(snapshot: DatasetSnapshot): HTMLElement {
    return h('section', { class: 'findings likelyMislabelled hint', attrs: { id: 'finding-likelyMislabelled' } },
      h('h2', {}, 'Likely mislabelled'),
      snapshot.run
        ? h('p', { class: 'muted' }, `The model of run "${snapshot.run.name}" agrees with every label it is confident about.`)
        : h('p', { class: 'muted' }, 'A trained run\'s model can rank the images it contradicts most confidently: likely mislabelled. ',
          button('Inspect with Run…', () => host.post({ type: 'chooseRun' }), { secondary: true })));
  }

  private samplesSection(report: EncodedDatasetReport): HTMLElement {
    return h('section', { class: 'samples', attrs: { id: 'samples' } },
      h('h2', {}, 'Samples per class'),
      ...report.classes.map((c) => h('div', { class: 'sample-class', attrs: { 'data-class': c.name } },
        h('h3', {}, `${c.name} `, h('span', { class: 'muted' }, report.totals.test > 0 ? `${formatCount(c.train)} training, ${formatCount(c.test)} test` : formatCount(c.train))),
        c.samples.length > 0
          ? h('div', { class: 'thumbs' }, ...c.samples.map((sample) => this.thumbnail(sample.source, '', 'sample')))
          : h('p', { class: 'muted' }, 'No readable images.'))));
  }
}
