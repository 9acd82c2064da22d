// The augmentation preview: sliders for rotation, crop padding, brightness, contrast and saturation and a
// flip switch, and a grid of real training images as training's own augmentation changes them (each with
// its original), re-rolled on demand. From New Training Run it starts the run with these strengths.
import type {
  AugmentPreviewSnapshot, AugmentSpec, EncodedPreview, FromAugmentPreviewView, ToAugmentPreviewView,
} from '../../src/protocol/augmentPreviewView';
import { assertNever } from '../shared/assertNever';
import { h, replaceChildren } from '../shared/dom';
import { formatCount, formatPercent } from '../shared/format';
import { hostChannel } from '../shared/hostChannel';
import { drawPixels } from '../shared/pixelCanvas';
import { strengthControls, strengthText, withStrength, type StrengthControl } from './previewControls';

/** Kept by VS Code for the panel serializer: the spec to preview again after a window reload. */
const host = hostChannel<FromAugmentPreviewView, AugmentPreviewSnapshot['restore']>();

/** Slider moves are sent at most this often. */
const SEND_MS = 120;

function button(label: string, onClick: () => void, options: { secondary?: boolean; class?: string; title?: string } = {}): HTMLElement {
  return h('vscode-button', { class: options.class, attrs: { secondary: options.secondary, title: options.title }, on: { click: onClick } }, label);
}

export class PreviewApp {
  private snapshot?: AugmentPreviewSnapshot;
  private augment?: AugmentSpec;
  private showOriginals = true;
  private sendTimer?: ReturnType<typeof setTimeout>;
  private readonly outputs = new Map<string, HTMLOutputElement>();
  private grid?: HTMLElement;
  private status?: HTMLElement;
  private flag?: HTMLElement;
  private explain?: HTMLElement;
  /** The image shape the sliders were built for (crop range, saturation of grey images). */
  private controlsShape?: string;

  constructor(private readonly root: HTMLElement) {}

  receive(message: ToAugmentPreviewView): void {
    switch (message.type) {
      case 'snapshot':
        this.snapshot = message.snapshot;
        this.augment = message.snapshot.augment;
        host.saveState(message.snapshot.restore);
        this.render();
        return;
      case 'preview':
        if (!this.snapshot) return;
        this.snapshot.preview = message.preview;
        this.snapshot.epoch = message.preview.epoch;
        this.snapshot.flag = message.flag;
        this.snapshot.loading = false;
        this.snapshot.failure = undefined;
        this.snapshot.restore = { spec: { ...this.snapshot.restore.spec, augment: message.preview.augment } };
        host.saveState(this.snapshot.restore);
        if (!this.grid || this.controlsShape !== message.preview.imageShape.join('x')) this.render();
        else this.renderPreview();
        return;
      case 'loading':
        if (!this.snapshot) return;
        this.snapshot.loading = true;
        this.renderStatus();
        return;
      case 'failure':
        if (!this.snapshot) return;
        this.snapshot.loading = false;
        this.snapshot.failure = message.message;
        this.renderStatus();
        return;
      default:
        assertNever(message);
    }
  }

  private render(): void {
    const snapshot = this.snapshot;
    if (!snapshot || !this.augment) return;
    this.status = h('div', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.flag = h('code', { class: 'flag' });
    this.explain = h('p', { class: 'explain' });
    this.grid = h('ul', { class: `preview-grid${this.showOriginals ? ' with-originals' : ''}`, attrs: { 'aria-label': 'Augmented training images' } });
    const wizard = snapshot.mode === 'wizard';
    this.controlsShape = snapshot.preview?.imageShape.join('x');
    const originals = h('input', { attrs: { type: 'checkbox', id: 'show-originals', checked: this.showOriginals } });
    originals.addEventListener('change', () => {
      this.showOriginals = originals.checked;
      this.grid?.classList.toggle('with-originals', this.showOriginals);
    });
    this.root.replaceChildren(
      h('header', {}, h('h1', {}, `Augmentation preview: ${snapshot.title}`), this.explain),
      h('div', { class: 'layout' },
        h('form', { class: 'controls', attrs: { 'aria-label': 'Augmentation strengths' }, on: { submit: (event) => event.preventDefault() } },
          this.flipControl(), ...strengthControls(snapshot.preview?.imageShape).map((control) => this.slider(control)),
          h('p', { class: 'muted' }, 'As the command line\'s ', h('code', {}, '--augment'), ': ', this.flag)),
        h('div', { class: 'results' },
          h('div', { class: 'toolbar' },
            button('Re-roll', () => host.post({ type: 'reroll' }), { class: 'reroll', title: 'The same images, augmented as the next epoch augments them' }),
            button('Other Images', () => host.post({ type: 'otherImages' }), { secondary: true, class: 'other-images' }),
            button('Copy --augment', () => host.post({ type: 'copyFlag' }), { secondary: true, class: 'copy-flag' }),
            h('label', { class: 'inline', attrs: { for: 'show-originals' } }, originals, ' originals')),
          this.status, this.grid)),
      h('footer', { class: 'actions' },
        wizard ? button('Back to New Training Run', () => host.post({ type: 'backToWizard' }), { secondary: true, class: 'back' }) : null,
        button(wizard ? 'Start Training' : 'New Training Run with These Settings…', () => host.post({ type: 'startTraining' }), { class: 'start' })),
    );
    this.root.removeAttribute('aria-busy');
    this.renderPreview();
  }

  private flipControl(): HTMLElement {
    const box = h('input', { attrs: { type: 'checkbox', id: 'flip', checked: this.augment?.flip } });
    box.addEventListener('change', () => this.change({ ...this.augment!, flip: box.checked }));
    return h('div', { class: 'control-row' }, h('label', { attrs: { for: 'flip' } }, 'Horizontal flip'), h('span', { class: 'flip-box' }, box), h('output', { attrs: { for: 'flip' } }, '50% of images'));
  }

  private slider(control: StrengthControl): HTMLElement {
    const value = this.augment![control.key];
    const input = h('input', {
      attrs: {
        type: 'range', id: control.key, min: control.min, max: control.max, step: control.step, value,
        disabled: control.disabled !== undefined, title: control.disabled,
      },
    });
    const output = h('output', { attrs: { for: control.key, title: control.disabled } }, control.disabled ? 'n/a' : strengthText(control.key, value));
    this.outputs.set(control.key, output);
    input.addEventListener('input', () => {
      const next = withStrength(this.augment!, control, Number(input.value));
      output.textContent = strengthText(control.key, next[control.key]);
      this.change(next);
    });
    return h('div', { class: 'control-row' }, h('label', { attrs: { for: control.key } }, control.label), input, output);
  }

  /** New strengths: shown at once, sent to the panel (coalesced) for a new preview. */
  private change(augment: AugmentSpec): void {
    this.augment = augment;
    clearTimeout(this.sendTimer);
    this.sendTimer = setTimeout(() => host.post({ type: 'setAugment', augment }), SEND_MS);
  }

  private renderStatus(): void {
    const snapshot = this.snapshot;
    if (!snapshot || !this.status) return;
    if (snapshot.failure) replaceChildren(this.status, h('div', { class: 'failure', attrs: { role: 'alert' } }, snapshot.failure));
    else if (snapshot.loading) replaceChildren(this.status, h('p', { class: 'muted loading-note' }, snapshot.preview ? 'Augmenting…' : 'Loading the training images as training loads them…'));
    else replaceChildren(this.status);
  }

  private renderPreview(): void {
    const snapshot = this.snapshot;
    const grid = this.grid;
    if (!snapshot || !grid) return;
    this.renderStatus();
    if (this.flag) this.flag.textContent = snapshot.flag;
    const preview = snapshot.preview;
    if (this.explain) {
      this.explain.textContent = preview
        ? `${formatCount(preview.images.length)} of the ${formatCount(preview.trainCount)} training images as epoch ${preview.epoch} of a run with seed ${snapshot.seed} feeds them to the model, augmented by training's own code (the ${formatPercent(snapshot.valSplit, 0)} held out for validation are never augmented).`
        : 'Loading…';
    }
    if (!preview) return;
    replaceChildren(grid, ...preview.images.map((image) => this.cell(preview, image)));
  }

  private cell(preview: EncodedPreview, image: EncodedPreview['images'][number]): HTMLElement {
    const augmented = h('canvas', { class: 'augmented pixelated', attrs: { 'aria-label': 'augmented' } });
    drawPixels(augmented, image.augmented);
    const original = h('canvas', { class: 'original pixelated', attrs: { 'aria-label': 'original' } });
    drawPixels(original, image.original);
    const name = image.source.split(/[\\/]/).pop() ?? image.source;
    return h('li', { class: 'cell', attrs: { 'data-example': image.example, title: `${image.source} (${preview.classes[image.label] ?? image.label})` } },
      h('span', { class: 'pictures' }, augmented, original),
      h('span', { class: 'caption' }, preview.classes[image.label] ?? String(image.label)),
      h('span', { class: 'muted name' }, name));
  }
}
