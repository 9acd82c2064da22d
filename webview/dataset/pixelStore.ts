// Pixels of examples inside binary datasets (CIFAR, IDX), asked of the panel in batches as thumbnails
// appear, kept once they arrive and handed to every thumbnail waiting for them.
import type { EncodedPixels, FromDatasetView } from '../../src/protocol/datasetView';

const MAX_PER_REQUEST = 200;

export type PixelAnswer = { pixels?: EncodedPixels; error?: string };

export class PixelStore {
  private readonly known = new Map<string, PixelAnswer>();
  private readonly waiting = new Map<string, ((answer: PixelAnswer) => void)[]>();
  private readonly asked = new Set<string>();
  private queued: string[] = [];

  constructor(private readonly post: (message: FromDatasetView) => void) {}

  /** Calls `use` with the pixels of `source` now if they are here, else when they arrive. */
  get(source: string, use: (answer: PixelAnswer) => void): void {
    const answer = this.known.get(source);
    if (answer) {
      use(answer);
      return;
    }
    this.waiting.set(source, [...(this.waiting.get(source) ?? []), use]);
    if (this.asked.has(source)) return;
    this.asked.add(source);
    if (this.queued.length === 0) queueMicrotask(() => this.flush());
    this.queued.push(source);
  }

  receive(images: readonly ({ source: string } & PixelAnswer)[]): void {
    for (const { source, pixels, error } of images) {
      const answer = { pixels, error };
      this.known.set(source, answer);
      const list = this.waiting.get(source) ?? [];
      this.waiting.delete(source);
      for (const use of list) use(answer);
    }
  }

  /** A new report: its sources may be other examples. */
  clear(): void {
    this.known.clear();
    this.waiting.clear();
    this.asked.clear();
    this.queued = [];
  }

  private flush(): void {
    const sources = this.queued;
    this.queued = [];
    for (let i = 0; i < sources.length; i += MAX_PER_REQUEST) this.post({ type: 'requestPixels', sources: sources.slice(i, i + MAX_PER_REQUEST) });
  }
}
